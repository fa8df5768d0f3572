import { sql, type Expression, type ExpressionBuilder, type Kysely, type QueryCreator, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { containsInsensitive, escapeLike, type Engine } from '../../db/dialect.ts';
import type { Actor } from '../../domain/policy.ts';
import { SEARCH_COUNT_CAP } from '../../contracts/search.ts';
import { accountsWithinReach, opportunitiesWithinReach } from '../scope.ts';

/**
 * Reads of the search index (migration 0018, docs/search.md). The index only narrows: every
 * caller re-checks the substring on the rows it finds, so what matches is exactly what the
 * substring scan would match; the index decides only which rows are looked at.
 */

/** A text prepared for the index: lowered by the database itself, so it lowers as the triggers did. */
export interface TextMatch {
  lowered: string;
  /** One character: every gram starting with it. */
  prefix: string | null;
  /** Two or more: the grams to require, rarest first (at most four; fewer only narrow less). */
  grams: string[];
}

const RARITY_PROBE = 2000;
const MAX_GRAMS = 4;

export async function prepareMatch(db: Kysely<Database>, workspaceId: number, text: string): Promise<TextMatch> {
  const { rows } = await sql<{ lowered: string }>`select lower(${text}) as lowered`.execute(db);
  const lowered = rows[0]!.lowered;
  const chars = Array.from(lowered);
  if (chars.length === 1) return { lowered, prefix: lowered, grams: [] };
  const grams = [...new Set(chars.slice(0, -1).map((c, i) => c + chars[i + 1]))];
  // How common each gram is, counted only up to a bound so a very common one ("公司") costs little:
  // the rarest drives the lookup, the next few are checked per candidate.
  const counted = await Promise.all(
    grams.map(async (gram) => {
      const result = await db
        .selectFrom((eb) =>
          eb
            .selectFrom('search_grams')
            .select('record_id')
            .where('workspace_id', '=', workspaceId)
            .where('gram', '=', gram)
            .limit(RARITY_PROBE)
            .as('g'),
        )
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return { gram, n: Number(result.n) };
    }),
  );
  counted.sort((a, b) => a.n - b.n);
  return { lowered, prefix: null, grams: counted.slice(0, MAX_GRAMS).map((c) => c.gram) };
}

export type SearchKind = 'a' | 'c' | 'o' | 'ap' | 'cp' | 'op';

/**
 * Ids of the records of `kind` whose indexed text may contain the match: a superset, to re-check.
 * `db` is the enclosing query's expression builder, so the subquery is part of that query.
 */
export function candidateIds<DB extends Database, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  workspaceId: number,
  match: TextMatch,
  kind: SearchKind,
) {
  const db = eb as unknown as QueryCreator<Database>;
  const base = db
    .selectFrom('search_grams as g')
    .select('g.record_id')
    .where('g.workspace_id', '=', workspaceId)
    .where('g.kind', '=', kind);
  if (match.prefix !== null)
    return base.where('g.gram', '>=', match.prefix).where('g.gram', '<=', `${match.prefix}\u{10FFFF}`);
  const [first, ...rest] = match.grams;
  let query = base.where('g.gram', '=', first!);
  for (const gram of rest) {
    query = query.where((expressionBuilder) =>
      expressionBuilder.exists(
        expressionBuilder
          .selectFrom('search_grams as h')
          .select('h.record_id')
          .whereRef('h.workspace_id', '=', 'g.workspace_id')
          .where('h.gram', '=', gram)
          .whereRef('h.kind', '=', 'g.kind')
          .whereRef('h.record_id', '=', 'g.record_id'),
      ),
    );
  }
  return query;
}

/**
 * Where the global search's queries find their candidate ids: `from` to start the query and
 * `has` for `column in` the text's (or the pinyin initials') candidates. On PostgreSQL the
 * candidates are materialized CTEs, computed once, first: as an `IN` subquery PostgreSQL
 * trusted its guess that few rows match the substring and scanned every contact (or deal) to
 * probe the index per row — 0.9 s at 300,000 contacts for a word in none of them, against
 * 0.4 ms when the index's ids drive the look-up. SQLite plans the `IN` subquery well and was
 * slower with the CTEs (the initials' candidates run to tens of thousands), so it keeps it.
 */
function candidatesOf(
  db: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  match: TextMatch,
  kinds: { text: SearchKind; initials: SearchKind },
) {
  if (engine !== 'postgres')
    return {
      from: db,
      has: <T extends keyof Database>(eb: Eb<T>, column: Expression<number>, which: 'text' | 'initials') =>
        eb(column, 'in', candidateIds(eb, workspaceId, match, kinds[which])),
    };
  // The CTEs' builders know the earlier CTEs too; the candidates read only search_grams.
  const ids = (kind: SearchKind) => (qb: unknown) =>
    candidateIds(qb as ExpressionBuilder<Database, never>, workspaceId, match, kind);
  return {
    from: db
      .with((cte) => cte('cand_text').materialized(), ids(kinds.text))
      .with((cte) => cte('cand_initials').materialized(), ids(kinds.initials)) as unknown as Kysely<Database>,
    has: <T extends keyof Database>(_eb: Eb<T>, column: Expression<number>, which: 'text' | 'initials') =>
      sql<SqlBool>`${column} in (select record_id from ${sql.table(`cand_${which}`)})`,
  };
}

/** Pinyin initials are matched when the typed text is two or more Latin letters. */
export const looksLikeInitials = (q: string) => /^[a-z]{2,}$/i.test(q);

type Eb<T extends keyof Database> = ExpressionBuilder<Database, T>;
async function grouped<R>(items: Promise<R[]>, count: Promise<{ n: number | string }>) {
  const [rows, counted] = await Promise.all([items, count]);
  const total = Number(counted.n);
  return { rows, total: Math.min(total, SEARCH_COUNT_CAP), capped: total > SEARCH_COUNT_CAP };
}

/** Exact name first, then names starting with the text, then shorter names. */
function rank(match: TextMatch, column: Expression<string>) {
  return sql<number>`case when lower(${column}) = ${match.lowered} then 0 when lower(${column}) like ${`${escapeLike(match.lowered)}%`} escape '\\' then 1 else 2 end`;
}

export async function searchAccounts(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  query: string,
  match: TextMatch,
  limit: number,
) {
  const ws = actor.workspaceId;
  const candidates = candidatesOf(db, engine, ws, match, { text: 'a', initials: 'ap' });
  const matches = (eb: Eb<'accounts' | 'org_units'>): Expression<SqlBool> => {
    const text = eb.and([
      candidates.has(eb, eb.ref('accounts.id'), 'text'),
      eb.or([
        containsInsensitive(engine, eb.ref('accounts.name'), query),
        containsInsensitive(engine, eb.ref('accounts.credit_code'), query),
      ]),
    ]);
    return looksLikeInitials(query) ? eb.or([text, candidates.has(eb, eb.ref('accounts.id'), 'initials')]) : text;
  };
  const base = candidates.from
    .selectFrom('accounts')
    .innerJoin('org_units', (joinBuilder) =>
      joinBuilder
        .onRef('org_units.id', '=', 'accounts.org_unit_id')
        .onRef('org_units.workspace_id', '=', 'accounts.workspace_id'),
    )
    .where(accountsWithinReach(actor))
    .where('accounts.archived_at', 'is', null)
    .where(matches);
  return grouped(
    base
      .leftJoin('users as owner', (joinBuilder) =>
        joinBuilder
          .onRef('owner.id', '=', 'accounts.owner_id')
          .onRef('owner.workspace_id', '=', 'accounts.workspace_id'),
      )
      .select([
        'accounts.id',
        'accounts.name',
        'accounts.city',
        'accounts.tier',
        'accounts.in_pool',
        'owner.name as owner_name',
      ])
      .orderBy(rank(match, sql.ref('accounts.name')))
      .orderBy(sql`length(accounts.name)`)
      .orderBy('accounts.id')
      .limit(limit)
      .execute(),
    db
      .selectFrom(
        base
          .select('accounts.id')
          .limit(SEARCH_COUNT_CAP + 1)
          .as('t'),
      )
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow(),
  );
}

export async function searchContacts(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  query: string,
  match: TextMatch,
  limit: number,
) {
  const ws = actor.workspaceId;
  const fields = [
    'contacts.name',
    'contacts.mobile',
    'contacts.phone',
    'contacts.email',
    'contacts.title',
    'contacts.wechat',
  ] as const;
  const candidates = candidatesOf(db, engine, ws, match, { text: 'c', initials: 'cp' });
  const matches = (eb: Eb<'contacts' | 'accounts' | 'org_units'>): Expression<SqlBool> => {
    const text = eb.and([
      candidates.has(eb, eb.ref('contacts.id'), 'text'),
      eb.or(fields.map((f) => containsInsensitive(engine, eb.ref(f), query))),
    ]);
    return looksLikeInitials(query) ? eb.or([text, candidates.has(eb, eb.ref('contacts.id'), 'initials')]) : text;
  };
  const base = candidates.from
    .selectFrom('contacts')
    .innerJoin('accounts', (joinBuilder) =>
      joinBuilder
        .onRef('accounts.id', '=', 'contacts.account_id')
        .onRef('accounts.workspace_id', '=', 'contacts.workspace_id'),
    )
    .innerJoin('org_units', (joinBuilder) =>
      joinBuilder
        .onRef('org_units.id', '=', 'accounts.org_unit_id')
        .onRef('org_units.workspace_id', '=', 'accounts.workspace_id'),
    )
    .where('contacts.workspace_id', '=', ws)
    .where(accountsWithinReach(actor))
    .where('contacts.archived_at', 'is', null)
    .where('accounts.archived_at', 'is', null)
    .where(matches);
  return grouped(
    base
      .select([
        'contacts.id',
        'contacts.name',
        'contacts.title',
        'contacts.account_id',
        'accounts.name as account_name',
      ])
      .orderBy(rank(match, sql.ref('contacts.name')))
      .orderBy(sql`length(contacts.name)`)
      .orderBy('contacts.id')
      .limit(limit)
      .execute(),
    db
      .selectFrom(
        base
          .select('contacts.id')
          .limit(SEARCH_COUNT_CAP + 1)
          .as('t'),
      )
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow(),
  );
}

export async function searchOpportunities(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  query: string,
  match: TextMatch,
  limit: number,
) {
  const ws = actor.workspaceId;
  const candidates = candidatesOf(db, engine, ws, match, { text: 'o', initials: 'op' });
  const matches = (eb: Eb<'opportunities' | 'accounts' | 'org_units'>): Expression<SqlBool> => {
    const text = eb.and([
      candidates.has(eb, eb.ref('opportunities.id'), 'text'),
      containsInsensitive(engine, eb.ref('opportunities.name'), query),
    ]);
    return looksLikeInitials(query) ? eb.or([text, candidates.has(eb, eb.ref('opportunities.id'), 'initials')]) : text;
  };
  const base = candidates.from
    .selectFrom('opportunities')
    .innerJoin('accounts', (joinBuilder) =>
      joinBuilder
        .onRef('accounts.id', '=', 'opportunities.account_id')
        .onRef('accounts.workspace_id', '=', 'opportunities.workspace_id'),
    )
    .innerJoin('org_units', (joinBuilder) =>
      joinBuilder
        .onRef('org_units.id', '=', 'opportunities.org_unit_id')
        .onRef('org_units.workspace_id', '=', 'opportunities.workspace_id'),
    )
    .where(opportunitiesWithinReach(actor))
    .where(matches);
  return grouped(
    base
      .select([
        'opportunities.id',
        'opportunities.name',
        'opportunities.account_id',
        'accounts.name as account_name',
        'opportunities.status',
        'opportunities.amount',
      ])
      // Open deals first: those are the ones worked on.
      .orderBy(sql`case when opportunities.status = 'open' then 0 else 1 end`)
      .orderBy(rank(match, sql.ref('opportunities.name')))
      .orderBy(sql`length(opportunities.name)`)
      .orderBy('opportunities.id')
      .limit(limit)
      .execute(),
    db
      .selectFrom(
        base
          .select('opportunities.id')
          .limit(SEARCH_COUNT_CAP + 1)
          .as('t'),
      )
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow(),
  );
}
