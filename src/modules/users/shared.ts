/**
 * What the users area lends to other areas: names and units of users for their pages, and
 * the writes first-run setup makes inside its own transaction. The rest of the repository
 * stays the area's own (the lint rule keeps other areas out of it).
 */
export { emailTaken, insertUser, userNames, usersWithUnits, userWithUnit } from './repository.ts';
