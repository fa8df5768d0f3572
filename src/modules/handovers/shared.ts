/** What the handovers area lends to other areas: the work a user still holds (deactivation is refused until it is handed over). */
export { unhandedWork } from './repository/inventory.ts';
