/**
 * Territories (docs/organisation.md): rules that name the rep who owns new accounts at a place.
 * The area's use cases, gathered here for its routes and the accounts area: a rule read and
 * listed, and who may change it: read.ts; created, changed, deleted: edit.ts; what the rules
 * match (their conflicts, accounts owned against them, a place's preview): matching.ts; the
 * rules applied to the pool: apply.ts.
 */
export { activeTerritoryRules, getTerritory, listTerritories } from './read.ts';
export { createTerritory, deleteTerritory, updateTerritory } from './edit.ts';
export { conflicts, mismatches, preview } from './matching.ts';
export { applyToPool } from './apply.ts';
