/** What the org area lends to other areas: a unit and the workspace's unit names (user pages), the root unit first-run setup inserts. */
export { getUnit, insertUnit, unitNames } from './repository.ts';
