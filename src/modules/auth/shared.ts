/** What the auth area lends to other areas: signing a user out everywhere, inside the caller's transaction (deactivation, handover). */
export { deleteUserSessions } from './repository.ts';
