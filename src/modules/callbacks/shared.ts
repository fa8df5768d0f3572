/**
 * What other areas may ask of the callback audit: the answered callback of a visit (the
 * activity's page shows it). Only repository reads, so nothing here imports back into their areas.
 */
export { answeredCallbackOf } from './repository.ts';
