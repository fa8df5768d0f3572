import type { Kysely } from 'kysely';

/**
 * A password an administrator chose (a new user's first one, a reset) is known to two people:
 * the user must replace it at the next sign-in, and until then the API answers little else.
 * Set by the admin's create and reset, cleared by the user's own password change.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
