/**
 * Handover on departure (离职交接, docs/archive.md): a draft lists everything the departing user
 * owns or takes part in; the manager assigns successors and writes notes for key accounts;
 * completion moves it all in one transaction and deactivates the user. The record stays.
 * The area's use cases, gathered here for its routes: reads and the checks: read.ts; starting
 * and editing a draft: draft.ts; completing or cancelling it: close.ts.
 */
export { getHandover, listHandovers } from './read.ts';
export { assignSuccessors, handoverContacts, saveNote, startHandover } from './draft.ts';
export { cancelHandover, completeHandover } from './close.ts';
