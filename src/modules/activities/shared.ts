/**
 * What other areas may ask of activities: whether the actor sees one (the attachments area,
 * before a download). Only repository reads, so nothing here imports back into their areas.
 */
export { activityVisible } from './repository/list.ts';
