import { sql, type Expression, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { TimelineKind } from '../../../domain/timeline.ts';

/**
 * The columns every branch of the timeline's UNION ALL selects, in the same order, with explicit casts so that
 * PostgreSQL resolves the union's column types the same way SQLite does. A branch names the columns its source
 * has; the rest are typed nulls.
 */
export interface Row {
  kind: TimelineKind;
  at: number;
  actor_id: number | null;
  opportunity_id: number | null;
  ref_id: number;
  title: string | null;
  old_value: string | null;
  new_value: string | null;
  reason: string | null;
  extra: string | null;
  amount: number | null;
  seq: number;
}

type Column = Exclude<keyof Row, 'kind' | 'seq'>;
type Cols = { [K in Column]: Expression<Row[K]> };
/** What a branch must say; the other columns default to null. */
type BranchCols = Pick<Cols, 'at' | 'actor_id' | 'ref_id'> & Partial<Cols>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Branch = SelectQueryBuilder<any, any, Row>;

/**
 * Events written by one transaction share an instant; this order tells them as they
 * happened (a deal is created before it moves, closes after its last move).
 */
const SEQ: Record<TimelineKind, number> = {
  account_created: 0,
  opportunity_created: 1,
  contact_added: 2,
  file_added: 3,
  stage_moved: 4,
  review: 5,
  account_changed: 6,
  opportunity_changed: 6,
  opportunity_closed: 7,
  activity: 8,
};
const nullText = sql<string | null>`cast(null as text)`;
const nullInt = sql<number | null>`cast(null as integer)`;
const nullBig = sql<number | null>`cast(null as bigint)`;

export const text = (err: RawBuilder<unknown> | string) =>
  typeof err === 'string'
    ? sql<string | null>`cast(${sql.ref(err)} as text)`
    : sql<string | null>`cast(${err} as text)`;

export function select(kind: TimelineKind, columns: BranchCols) {
  const column = (name: Column, empty: Expression<unknown>) => sql`${columns[name] ?? empty}`.as(name);
  return [
    sql<TimelineKind>`cast(${sql.lit(kind)} as text)`.as('kind'),
    sql`${columns.at}`.as('at'),
    sql`${columns.actor_id}`.as('actor_id'),
    column('opportunity_id', nullInt),
    sql`${columns.ref_id}`.as('ref_id'),
    column('title', nullText),
    column('old_value', nullText),
    column('new_value', nullText),
    column('reason', nullText),
    column('extra', nullText),
    column('amount', nullBig),
    sql<number>`${sql.lit(SEQ[kind])}`.as('seq'),
  ] as const;
}

/** A record_history row (alias h) as an event: who changed which field from what to what, and why. */
export const historyChange = {
  at: sql<number>`h.created_at`,
  actor_id: sql<number | null>`h.actor_user_id`,
  ref_id: sql<number>`h.id`,
  title: text('h.field'),
  old_value: text('h.old_value'),
  new_value: text('h.new_value'),
  reason: text('h.reason'),
};
