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

export type SearchKind = 'a' | 'c' | 'o' | 'ap' | 'cp' | 'op';

/** A text prepared for the index: lowered by the database itself, so it lowers as the triggers did. */
export interface TextMatch {
  lowered: string;
  /** One character: every gram starting with it. */
  prefix: string | null;
  /** Two or more: per kind, the grams to require, rarest in that kind first (at most four; fewer only narrow less). */
  grams: Partial<Record<SearchKind, string[]>>;
  /** Per kind: even the rarest gram is common (counted to the probe's bound). */
  common: Partial<Record<SearchKind, boolean>>;
}

const RARITY_PROBE = 2000;
const MAX_GRAMS = 4;

/**
 * The text lowered, and for each of `kinds` its grams from the rarest in that kind. Counted per
 * kind because a gram common in one kind can be rare in another: "me" is in every contact's
 * email and "es" in none, while a tenth of the deals hold both — counted over all kinds both
 * were "common" and the contacts' candidates were every contact with an email (0.9 s for "mes").
 */
export async function prepareMatch(
  db: Kysely<Database>,
  workspaceId: number,
  text: string,
  kinds: readonly SearchKind[] = ['a', 'c', 'o'],
  /** Counted up to this many per gram and kind; at the bound a gram is common (a test lowers it). */
  probe = RARITY_PROBE,
): Promise<TextMatch> {
  const { rows } = await sql<{ lowered: string }>`select lower(${text}) as lowered`.execute(db);
  const lowered = rows[0]!.lowered;
  const chars = Array.from(lowered);
  if (chars.length === 1) return { lowered, prefix: lowered, grams: {}, common: {} };
  const grams = [...new Set(chars.slice(0, -1).map((c, i) => c + chars[i + 1]))];
  // How common each gram is in each kind, counted only up to a bound so a very common one
  // ("公司") costs little, all in one statement: the rarest drives the lookup, the next few are
  // checked per candidate.
  const probes = kinds.flatMap((kind) => grams.map((gram) => ({ kind, gram })));
  const counted = await sql<Record<string, number | string>>`select ${sql.join(
    probes.map(
      ({ kind, gram }, at) =>
        sql`(select count(*) from (select 1 as one from search_grams where workspace_id = ${workspaceId} and gram = ${gram} and kind = ${kind} limit ${probe}) as g) as ${sql.ref(`n${at}`)}`,
    ),
  )}`.execute(db);
  const counts = counted.rows[0]!;
  const match: TextMatch = { lowered, prefix: null, grams: {}, common: {} };
  for (const kind of kinds) {
    const ofKind = probes
      .map((probe, at) => ({ ...probe, n: Number(counts[`n${at}`]) }))
      .filter((probe) => probe.kind === kind)
      .sort((a, b) => a.n - b.n);
    match.grams[kind] = ofKind.slice(0, MAX_GRAMS).map((probe) => probe.gram);
    match.common[kind] = ofKind[0]!.n >= probe;
  }
  return match;
}

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
  const grams = match.grams[kind];
  if (!grams) throw new Error(`the match was prepared without kind ${kind}`);
  const [first, ...rest] = grams;
  let query = base.where('g.gram', '=', first!);
  if (match.common[kind]) {
    // Every gram is common (digits: "5678" is in tens of thousands of phone numbers, each of its
    // grams too): probing the others per candidate of the first costs a look-up per row of a long
    // list; reading each list once and intersecting them is several times cheaper (c1234 over
    // 300,000 contacts: 253 → 29 ms on SQLite).
    for (const gram of rest)
      query = query.intersect(
        db
          .selectFrom('search_grams as g')
          .select('g.record_id')
          .where('g.workspace_id', '=', workspaceId)
          .where('g.kind', '=', kind)
          .where('g.gram', '=', gram),
      );
    return query;
  }
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
 * PostgreSQL tests `id = any(array(…))`: with `in (select … from cte)` and more than about
 * 1,500 candidates it priced the look-ups above a scan and hash-joined every contact or deal
 * (1.0–1.5 s for "zw" at the scale set); an array is looked up by the primary key whatever its size.
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
      hasEither: <T extends keyof Database>(eb: Eb<T>, column: Expression<number>) =>
        eb(
          column,
          'in',
          candidateIds(eb, workspaceId, match, kinds.text).union(candidateIds(eb, workspaceId, match, kinds.initials)),
        ),
    };
  // The CTEs' builders know the earlier CTEs too; the candidates read only search_grams.
  const ids = (kind: SearchKind) => (qb: unknown) =>
    candidateIds(qb as ExpressionBuilder<Database, never>, workspaceId, match, kind);
  const text = db.with((cte) => cte('cand_text').materialized(), ids(kinds.text));
  // The initials' candidates only where the text is read as initials (a one-character text never is).
  const both = match.grams[kinds.initials]
    ? text.with((cte) => cte('cand_initials').materialized(), ids(kinds.initials))
    : text;
  return {
    from: both as unknown as Kysely<Database>,
    has: <T extends keyof Database>(_eb: Eb<T>, column: Expression<number>, which: 'text' | 'initials') =>
      sql<SqlBool>`${column} = any(array(select record_id from ${sql.table(`cand_${which}`)}))`,
    hasEither: <T extends keyof Database>(_eb: Eb<T>, column: Expression<number>) =>
      sql<SqlBool>`${column} = any(array(select record_id from cand_text union select record_id from cand_initials))`,
  };
}

/**
 * Whether a row matches: its text contains the query — or, for what looks like initials, the
 * initials' candidates hold it (those are not re-checked: docs/search.md). With initials it is
 * `id in (text ∪ initials) and (contains or id in initials)`, the same rows as
 * `(id in text and contains) or id in initials`, written so the candidates drive the look-up:
 * PostgreSQL could not drive from either side of the OR and scanned every deal (1.2 s for "zw").
 */
function matching<T extends keyof Database>(
  eb: Eb<T>,
  candidates: ReturnType<typeof candidatesOf>,
  column: Expression<number>,
  contains: Expression<SqlBool>[],
  initials: boolean,
): Expression<SqlBool> {
  if (!initials) return eb.and([candidates.has(eb, column, 'text'), eb.or(contains)]);
  return eb.and([candidates.hasEither(eb, column), eb.or([...contains, candidates.has(eb, column, 'initials')])]);
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
  const matches = (eb: Eb<'accounts' | 'org_units'>) =>
    matching(
      eb,
      candidates,
      eb.ref('accounts.id'),
      [
        containsInsensitive(engine, eb.ref('accounts.name'), query),
        containsInsensitive(engine, eb.ref('accounts.credit_code'), query),
      ],
      looksLikeInitials(query),
    );
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
  const matches = (eb: Eb<'contacts' | 'accounts' | 'org_units'>) =>
    matching(
      eb,
      candidates,
      eb.ref('contacts.id'),
      fields.map((f) => containsInsensitive(engine, eb.ref(f), query)),
      looksLikeInitials(query),
    );
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
  const matches = (eb: Eb<'opportunities' | 'accounts' | 'org_units'>) =>
    matching(
      eb,
      candidates,
      eb.ref('opportunities.id'),
      [containsInsensitive(engine, eb.ref('opportunities.name'), query)],
      looksLikeInitials(query),
    );
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
