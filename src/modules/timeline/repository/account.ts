import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { TIMELINE_GROUPS, type TimelineKind } from '../../../domain/timeline.ts';
import { historyChange, select, text, type Branch } from './branch.ts';

/** The kinds of the account's own events (a deal's timeline has none of them). */
export const ACCOUNT_KINDS: ReadonlySet<TimelineKind> = new Set(TIMELINE_GROUPS.account);

/** The account's own events: its creation, its field changes and its contacts. */
export function accountBranches(
  db: Kysely<Database>,
  ws: number,
  accountId: number,
  want: (kind: TimelineKind) => boolean,
): Branch[] {
  const out: Branch[] = [];
  if (want('account_created')) {
    out.push(
      db
        .selectFrom('accounts as a')
        .where('a.workspace_id', '=', ws)
        .where('a.id', '=', accountId)
        .select(
          select('account_created', {
            at: sql`a.created_at`,
            actor_id: sql`a.created_by`,
            ref_id: sql`a.id`,
            title: text('a.name'),
          }),
        ) as Branch,
    );
  }
  if (want('account_changed')) {
    // Values written with the creation (the first owner) are the creation itself, already an event.
    out.push(
      db
        .selectFrom('record_history as h')
        .innerJoin('accounts as a', (j) => j.onRef('a.id', '=', 'h.entity_id').on('a.workspace_id', '=', ws))
        .where('h.workspace_id', '=', ws)
        .where('h.entity_type', '=', 'account')
        .where('h.entity_id', '=', accountId)
        .whereRef('h.created_at', '!=', 'a.created_at')
        .select(select('account_changed', historyChange)) as Branch,
    );
  }
  if (want('contact_added')) {
    out.push(
      db
        .selectFrom('contacts as c')
        .where('c.workspace_id', '=', ws)
        .where('c.account_id', '=', accountId)
        .select(
          select('contact_added', {
            at: sql`c.created_at`,
            actor_id: sql`c.created_by`,
            ref_id: sql`c.id`,
            title: text('c.name'),
            new_value: text('c.title'),
            extra: text('c.department'),
          }),
        ) as Branch,
    );
  }
  return out;
}
