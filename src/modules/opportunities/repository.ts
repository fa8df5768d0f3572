import { workspaceSettings } from '../../domain/settings.ts';
import { NO_LINE, NO_LINE_PARAM } from '../../domain/business-lines.ts';
import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type SqlBool,
  type Updateable,
} from 'kysely';
import type { Database, OpportunityStageHistoryTable, OpportunityTable } from '../../db/schema.ts';
import { containsInsensitive, type Engine } from '../../db/dialect.ts';
import { accountReach, type Actor } from '../../domain/policy.ts';
import type { OpportunityListTotals } from '../../contracts/opportunities.ts';
import { opportunitiesWithinReach, subtreePattern } from '../scope.ts';
import { candidateIds, prepareMatch } from '../search/shared.ts';
const columns = [
  'opportunities.id',
  'opportunities.account_id',
  'opportunities.name',
  'opportunities.owner_id',
  'opportunities.org_unit_id',
  'opportunities.amount',
  'opportunities.status',
  'opportunities.expected_close_date',
  'opportunities.closed_at',
  'opportunities.process_id',
  'opportunities.stage_id',
  'opportunities.stage_entered_at',
  'opportunities.lead_source',
  'opportunities.buying_phase',
  'opportunities.forecast_category',
  'opportunities.next_step',
  'opportunities.next_step_date',
  'opportunities.products',
  'opportunities.competitors',
  'opportunities.qualification',
  'opportunities.swot',
  'opportunities.win_strategy',
  'opportunities.advantage_lost',
  'opportunities.close_reason',
  'opportunities.close_competitor',
  'opportunities.contract_amount',
  'opportunities.description',
  'opportunities.stage_evidence',
  'opportunities.created_at',
  'opportunities.updated_at',
  'opportunities.version',
  'accounts.name as account_name',
  'owner.name as owner_name',
  'org_units.path as unit_path',
  'org_units.name as org_unit_name',
  'stage.name as stage_name',
  'stage.probability as stage_probability',
  'stage.expected_days as stage_expected_days',
  'stage.buying_phase as stage_buying_phase',
  'stage.position as stage_position',
  'stage.evidence as stage_evidence_items',
  'process.name as process_name',
] as const;

export function visibleOpportunities(db: Kysely<Database>, actor: Actor) {
  return db
    .selectFrom('opportunities')
    .innerJoin('org_units', (joinBuilder) =>
      joinBuilder
        .onRef('org_units.id', '=', 'opportunities.org_unit_id')
        .onRef('org_units.workspace_id', '=', 'opportunities.workspace_id'),
    )
    .innerJoin('accounts', 'accounts.id', 'opportunities.account_id')
    .leftJoin('users as owner', 'owner.id', 'opportunities.owner_id')
    .leftJoin('process_stages as stage', 'stage.id', 'opportunities.stage_id')
    .leftJoin('sales_processes as process', 'process.id', 'opportunities.process_id')
    .where(opportunitiesWithinReach(actor));
}

export type OpportunitySort = 'name' | 'amount' | 'expectedCloseDate' | 'updatedAt' | 'stageEnteredAt';
const sortColumn = {
  name: 'opportunities.name',
  amount: 'opportunities.amount',
  expectedCloseDate: 'opportunities.expected_close_date',
  updatedAt: 'opportunities.updated_at',
  stageEnteredAt: 'opportunities.stage_entered_at',
} as const;

export interface OpportunityFilter {
  q?: string | undefined;
  status?: string | undefined;
  ownerId?: number | undefined;
  orgUnitId?: number | undefined;
  accountId?: number | undefined;
  processId?: number | undefined;
  stageId?: number | undefined;
  closeFrom?: string | undefined;
  closeTo?: string | undefined;
  minProbability?: number | undefined;
  sizeClass?: 'small' | 'large' | undefined;
  /** A business line's key, or `none` (NO_LINE_PARAM) for the deals of no line. */
  line?: string | undefined;
}

/** The list's rows before sorting and paging; the export reads the same rows (docs/archive.md § Import and export). */
export async function filteredOpportunities(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: OpportunityFilter,
) {
  let query = await scoped(db, engine, actor, filter);
  if (filter.status) query = query.where('opportunities.status', '=', filter.status);
  if (filter.accountId !== undefined) query = query.where('opportunities.account_id', '=', filter.accountId);
  if (filter.processId !== undefined) query = query.where('opportunities.process_id', '=', filter.processId);
  if (filter.stageId !== undefined) query = query.where('opportunities.stage_id', '=', filter.stageId);
  if (filter.closeFrom) query = query.where('opportunities.expected_close_date', '>=', filter.closeFrom);
  if (filter.closeTo) query = query.where('opportunities.expected_close_date', '<=', filter.closeTo);
  if (filter.minProbability !== undefined) query = query.where('stage.probability', '>=', filter.minProbability);
  if (filter.sizeClass) {
    const ws = await db
      .selectFrom('workspaces')
      .select('settings')
      .where('id', '=', actor.workspaceId)
      .executeTakeFirst();
    query = query.where(
      'opportunities.amount',
      filter.sizeClass === 'large' ? '>=' : '<',
      workspaceSettings(ws?.settings).largeDealThreshold,
    );
  }
  return query;
}

/** The search index narrows to deals whose name or account's name may hold the text; the substring test decides (docs/search.md). */
async function indexedOpportunityText(db: Kysely<Database>, actor: Actor, needle: string) {
  const match = await prepareMatch(db, actor.workspaceId, needle);
  return (eb: ExpressionBuilder<Database, 'opportunities'>) =>
    eb.or([
      eb('opportunities.id', 'in', candidateIds(eb, actor.workspaceId, match, 'o')),
      eb('opportunities.account_id', 'in', candidateIds(eb, actor.workspaceId, match, 'a')),
    ]);
}

export async function listOpportunities(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: OpportunityFilter & {
    limit: number;
    offset: number;
    sort: { column: OpportunitySort; desc: boolean };
    /** The totals, when the funnel's kept totals hold them. */
    keptTotals?: OpportunityListTotals | undefined;
  },
) {
  const query = await filteredOpportunities(db, engine, actor, filter);
  const [items, totals] = await Promise.all([
    query
      .select(columns)
      .orderBy(sortColumn[filter.sort.column], filter.sort.desc ? 'desc' : 'asc')
      // The tie-breaker runs the same way, so one index (…, column, id) gives the whole order.
      .orderBy('opportunities.id', filter.sort.desc ? 'desc' : 'asc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    // The totals row of the list: the same filters and scope, one aggregate — unless the
    // service found them kept (src/modules/funnel/list-totals.ts).
    filter.keptTotals ?? liveListTotals(query),
  ]);
  return { items, total: totals.count, totals };
}

async function liveListTotals(query: Awaited<ReturnType<typeof filteredOpportunities>>) {
  const total = await query
    .select((eb) => [
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.sum<number | string | null>('opportunities.amount').as('amount'),
      eb.fn.sum<number | string | null>(sql`opportunities.amount * stage.probability`).as('weighted'),
    ])
    .executeTakeFirstOrThrow();
  return {
    count: Number(total.n),
    amount: Number(total.amount ?? 0),
    expectedAmount: Math.round(Number(total.weighted ?? 0) / 100),
  };
}

export async function getOpportunity(db: Kysely<Database>, actor: Actor, id: number) {
  return visibleOpportunities(db, actor).select(columns).where('opportunities.id', '=', id).executeTakeFirst();
}

export type OpportunityRow = NonNullable<Awaited<ReturnType<typeof getOpportunity>>>;

export async function teamOf(db: Kysely<Database>, workspaceId: number, opportunityIds: number[]) {
  if (opportunityIds.length === 0) return [];
  return db
    .selectFrom('opportunity_team as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.opportunity_id', 't.user_id', 't.team_role', 'u.name as user_name', 'u.role as user_role'])
    .where('t.workspace_id', '=', workspaceId)
    .where('t.opportunity_id', 'in', opportunityIds)
    .orderBy('t.id')
    .execute();
}

export async function stageHistory(db: Kysely<Database>, workspaceId: number, opportunityId: number) {
  return db
    .selectFrom('opportunity_stage_history as h')
    .leftJoin('users as a', 'a.id', 'h.entered_by')
    .leftJoin('users as b', 'b.id', 'h.left_by')
    .select([
      'h.id',
      'h.stage_id',
      'h.stage_name',
      'h.probability',
      'h.entered_at',
      'h.left_at',
      'h.exit_direction',
      'h.exit_evidence',
      'h.exit_reason',
      'h.exit_overridden',
      'a.name as entered_by_name',
      'b.name as left_by_name',
    ])
    .where('h.workspace_id', '=', workspaceId)
    .where('h.opportunity_id', '=', opportunityId)
    .orderBy('h.entered_at')
    .orderBy('h.id')
    .execute();
}

/** Filters of the board and the attention list (docs/sales-process.md): the same scope as the list. */
export interface ScopeFilter {
  q?: string | undefined;
  ownerId?: number | undefined;
  orgUnitId?: number | undefined;
  /** A business line's key, or `none` (NO_LINE_PARAM) for the deals of no line. */
  line?: string | undefined;
}

/** The line stamped on a deal that a `line` parameter asks for ('' for `none`), as the kept totals key it. */
const stampedLine = (line: string) => (line === NO_LINE_PARAM ? NO_LINE : line);

async function scoped(db: Kysely<Database>, engine: Engine, actor: Actor, filter: ScopeFilter) {
  let query = visibleOpportunities(db, actor);
  if (filter.q) {
    const needle = filter.q;
    query = query.where(await indexedOpportunityText(db, actor, needle));
    query = query.where((eb) =>
      eb.or([
        containsInsensitive(engine, eb.ref('opportunities.name'), needle),
        containsInsensitive(engine, eb.ref('accounts.name'), needle),
      ]),
    );
  }
  if (filter.ownerId !== undefined) query = query.where('opportunities.owner_id', '=', filter.ownerId);
  if (filter.orgUnitId !== undefined) {
    query = query.where('org_units.path', 'like', await subtreePattern(db, actor.workspaceId, filter.orgUnitId));
  }
  // The line the funnel's upkeep stamped on the deal, so a funnel narrowed to a line, its
  // drill-down to the list and the board all hold the same deals.
  if (filter.line !== undefined) query = query.where('opportunities.business_line', '=', stampedLine(filter.line));
  return query;
}

export const BOARD_CARDS_PER_COLUMN = 50;
export const BOARD_CARDS_PER_COLUMN_ALL = 20;

/** One column's totals on the board: weighted is Σ amount × probability (percent), not yet divided. */
export interface BoardTotal {
  stageId: number;
  count: number;
  amount: number;
  weighted: number;
}

/**
 * The kanban board of one process or of all (no processId): open opportunities at every non-won stage (expected to
 * close within [closeFrom, closeTo] when given), and those won within [wonFrom, wonTo) in the
 * won column. The open columns' totals come from the funnel's kept totals when the service found
 * them there (keptOpenTotals), else from one grouped query with the won column's; the cards
 * (largest amount first, at most cardsPerColumn per stage) from one `LIMIT` per stage, united —
 * each walks opportunities_ws_stage_amount in the board's order and stops at its limit, where
 * numbering every open deal of the process took seconds at a million deals (README § Benchmarks).
 */
export async function board(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: ScopeFilter & {
    processId?: number | undefined;
    /** The columns: every stage of the board's lanes; a won stage holds the won deals. */
    stages: readonly { id: number; won: boolean }[];
    cardsPerColumn: number;
    wonFrom: number;
    wonTo: number;
    closeFrom?: string | undefined;
    closeTo?: string | undefined;
    /**
     * Where the funnel's kept totals hold the open columns (a caller who sees whole subtrees, no
     * text or days): those totals, and the subtree and owner they are for — the won column is
     * then counted from the won deals alone, as the kept totals are (wonColumnTotals).
     */
    kept?:
      | {
          openTotals: BoardTotal[];
          unitPath?: string | undefined;
          ownerId?: number | undefined;
          line?: string | undefined;
        }
      | undefined;
  },
) {
  const visible = await scoped(db, engine, actor, filter);
  const scope =
    filter.processId === undefined ? visible : visible.where('opportunities.process_id', '=', filter.processId);
  // Open ones by their expected close date ("close period"), won ones by when they were won.
  const open = (eb: ExpressionBuilder<Database, 'opportunities'>) =>
    eb.and([
      eb('opportunities.status', '=', 'open'),
      ...(filter.closeFrom ? [eb('opportunities.expected_close_date', '>=', filter.closeFrom)] : []),
      ...(filter.closeTo ? [eb('opportunities.expected_close_date', '<=', filter.closeTo)] : []),
    ]);
  const won = (eb: ExpressionBuilder<Database, 'opportunities'>) =>
    eb.and([
      eb('opportunities.status', '=', 'won'),
      eb('opportunities.closed_at', '>=', filter.wonFrom),
      eb('opportunities.closed_at', '<', filter.wonTo),
    ]);
  // The won column's cards walk the board's order too, testing the day won on the way: offered
  // the period as a range of opportunities_ws_stage_won, SQLite sorted a month's wins (20,000)
  // for its 50 cards; `+closed_at` (the same value) is no index's column.
  const wonInOrder = (eb: ExpressionBuilder<Database, 'opportunities'>) =>
    eb.and([
      eb('opportunities.status', '=', 'won'),
      eb(sql`+opportunities.closed_at`, '>=', filter.wonFrom),
      eb(sql`+opportunities.closed_at`, '<', filter.wonTo),
    ]);
  const wonStages = filter.stages.filter((stage) => stage.won).map((stage) => stage.id);
  const { kept } = filter;
  const counted = kept
    ? undefined
    : scope.where((eb) => eb.or([eb.and([open(eb), eb('stage.is_won', '=', 0)]), won(eb)]));
  // A rep's or a presales engineer's deals are few, found by owner and team: numbered in one
  // read. Anyone else's — a workspace's, a subtree's — one LIMIT per stage in the board's order.
  const reach = accountReach(actor).kind;
  const few = reach === 'own' || reach === 'team';
  const numbered = () =>
    db
      .selectFrom(
        scope
          .where((eb) => eb.or([eb.and([open(eb), eb('stage.is_won', '=', 0)]), won(eb)]))
          .select([
            ...columns,
            sql<number>`row_number() over (partition by opportunities.stage_id order by opportunities.amount desc, opportunities.id)`.as(
              'rn',
            ),
          ])
          .as('c'),
      )
      .selectAll()
      .where('c.rn', '<=', filter.cardsPerColumn)
      .orderBy('c.stage_id')
      .orderBy('c.rn')
      .execute();
  const arms = () =>
    filter.stages.map((stage) =>
      db
        .selectFrom(
          scope
            .where('opportunities.stage_id', '=', stage.id)
            .where(stage.won ? wonInOrder : open)
            .select(columns)
            .orderBy('opportunities.amount', 'desc')
            .orderBy('opportunities.id')
            .limit(filter.cardsPerColumn)
            .as('column_cards'),
        )
        .selectAll(),
    );
  const [live, cards] = await Promise.all([
    kept
      ? wonColumnTotals(db, actor.workspaceId, {
          ...kept,
          stageIds: wonStages,
          wonFrom: filter.wonFrom,
          wonTo: filter.wonTo,
        })
      : counted!
          .select((eb) => [
            'opportunities.stage_id',
            eb.fn.countAll<number | string>().as('n'),
            eb.fn.sum<number | string>('opportunities.amount').as('amount'),
            eb.fn.sum<number | string>(sql`opportunities.amount * stage.probability`).as('weighted'),
          ])
          .groupBy('opportunities.stage_id')
          .execute(),
    few
      ? numbered()
      : filter.stages.length === 0
        ? []
        : arms()
            .reduce((all, arm) => all.unionAll(arm))
            .execute(),
  ]);
  // Kept and live rows of one stage add up (a won deal counts where its stage is).
  const totals = new Map<number, BoardTotal>();
  for (const total of kept?.openTotals ?? []) totals.set(total.stageId, { ...total });
  for (const row of live) {
    if (row.stage_id === null) continue;
    const total = totals.get(row.stage_id) ?? { stageId: row.stage_id, count: 0, amount: 0, weighted: 0 };
    total.count += Number(row.n);
    total.amount += Number(row.amount ?? 0);
    total.weighted += Number(row.weighted ?? 0);
    totals.set(row.stage_id, total);
  }
  return { totals: [...totals.values()], cards };
}

/**
 * The board's won column for a caller who sees whole subtrees: the deals won in [wonFrom,
 * wonTo) at the won stages, counted from the deals alone — no join to their accounts and units
 * beyond the subtree's unit ids, as the funnel's kept totals count them — so the count is read
 * from opportunities_ws_stage_won without a row of the table (a month's wins of a large process
 * are some 20,000 deals: 3.5 s through the rows on the loaded machine, README § Benchmarks).
 */
async function wonColumnTotals(
  db: Kysely<Database>,
  workspaceId: number,
  key: {
    stageIds: number[];
    wonFrom: number;
    wonTo: number;
    unitPath?: string | undefined;
    ownerId?: number | undefined;
    /** The stamped line ('' — no line), as the kept totals key it. */
    line?: string | undefined;
  },
) {
  // One statement per won stage, united: given the stages as one IN list, SQLite read every
  // deal ever won at them (by opportunities_ws_stage_amount) instead of the period's.
  const perStage = key.stageIds.map((stageId) =>
    db
      .selectFrom('opportunities')
      .innerJoin('process_stages as stage', 'stage.id', 'opportunities.stage_id')
      .where('opportunities.workspace_id', '=', workspaceId)
      .where('opportunities.stage_id', '=', stageId)
      .where('opportunities.status', '=', 'won')
      .where('opportunities.closed_at', '>=', key.wonFrom)
      .where('opportunities.closed_at', '<', key.wonTo)
      .$if(key.ownerId !== undefined, (query) => query.where('opportunities.owner_id', '=', key.ownerId!))
      .$if(key.line !== undefined, (query) => query.where('opportunities.business_line', '=', key.line!))
      .$if(key.unitPath !== undefined, (query) =>
        query.where('opportunities.org_unit_id', 'in', (eb) =>
          eb
            .selectFrom('org_units')
            .select('org_units.id')
            .where('org_units.workspace_id', '=', workspaceId)
            .where('org_units.path', 'like', `${key.unitPath}%`),
        ),
      )
      .select((eb) => [
        'opportunities.stage_id',
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.sum<number | string>('opportunities.amount').as('amount'),
        eb.fn.sum<number | string>(sql`opportunities.amount * stage.probability`).as('weighted'),
      ])
      .groupBy('opportunities.stage_id'),
  );
  return perStage.length === 0 ? [] : perStage.reduce((all, stage) => all.unionAll(stage)).execute();
}

export type AttentionProblem = 'stalled' | 'no_plan' | 'advantage_lost';

/**
 * The problem conditions of docs/sales-process.md as SQL, matching classifyProblems in
 * domain/stage-gate.ts: stalled = in the stage longer than expected_days × the workspace's stall factor; no plan =
 * no next step, no date, or a date already past; advantage lost = marked by a manager.
 */
function problemCondition(problem: AttentionProblem, now: number, today: string, stalledFactorPercent: number) {
  // An expected day, stretched by the stall factor, in milliseconds (150% → 129,600,000).
  const stalledDayMs = stalledFactorPercent * 864_000;
  return (
    eb: ExpressionBuilder<Database & { stage: Database['process_stages'] }, 'opportunities' | 'stage'>,
  ): Expression<SqlBool> => {
    switch (problem) {
      case 'stalled':
        return eb.and([
          eb('stage.expected_days', '>', 0),
          eb('opportunities.stage_entered_at', 'is not', null),
          sql<SqlBool>`opportunities.stage_entered_at + stage.expected_days * cast(${stalledDayMs} as bigint) < ${now}`,
        ]);
      case 'no_plan':
        return eb.or([
          eb('opportunities.next_step', 'is', null),
          sql<SqlBool>`trim(opportunities.next_step) = ''`,
          eb('opportunities.next_step_date', 'is', null),
          eb('opportunities.next_step_date', '<', today),
        ]);
      case 'advantage_lost':
        return eb('opportunities.advantage_lost', '=', 1);
    }
  };
}

export async function attention(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: ScopeFilter & {
    problem?: AttentionProblem | undefined;
    limit: number;
    offset: number;
    sort: { column: OpportunitySort; desc: boolean };
    now: number;
    today: string;
    stalledFactorPercent: number;
  },
) {
  const base = (await scoped(db, engine, actor, filter)).where('opportunities.status', '=', 'open');
  const condition = (problem: AttentionProblem) =>
    problemCondition(problem, filter.now, filter.today, filter.stalledFactorPercent);
  const cond = {
    stalled: condition('stalled'),
    no_plan: condition('no_plan'),
    advantage_lost: condition('advantage_lost'),
  };
  const matching = base.where((eb) =>
    filter.problem ? cond[filter.problem](eb) : eb.or([cond.stalled(eb), cond.no_plan(eb), cond.advantage_lost(eb)]),
  );
  const flag =
    (condition: (typeof cond)['stalled']) =>
    (eb: ExpressionBuilder<Database & { stage: Database['process_stages'] }, 'opportunities' | 'stage'>) =>
      eb.fn.sum<number | string>(eb.case().when(condition(eb)).then(1).else(0).end());
  const [items, total, counts] = await Promise.all([
    matching
      .select(columns)
      .orderBy(sortColumn[filter.sort.column], filter.sort.desc ? 'desc' : 'asc')
      // The tie-breaker runs the same way, so one index (…, column, id) gives the whole order.
      .orderBy('opportunities.id', filter.sort.desc ? 'desc' : 'asc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    matching.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    base
      .select((eb) => [
        flag(cond.stalled)(eb).as('stalled'),
        flag(cond.no_plan)(eb).as('no_plan'),
        flag(cond.advantage_lost)(eb).as('advantage_lost'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    items,
    total: Number(total.n),
    counts: {
      stalled: Number(counts.stalled ?? 0),
      no_plan: Number(counts.no_plan ?? 0),
      advantage_lost: Number(counts.advantage_lost ?? 0),
    },
  };
}

export async function teamMember(db: Kysely<Database>, workspaceId: number, opportunityId: number, memberId: number) {
  return db
    .selectFrom('opportunity_team')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('opportunity_id', '=', opportunityId)
    .where('id', '=', memberId)
    .executeTakeFirst();
}

export async function activeUser(db: Kysely<Database>, workspaceId: number, userId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'active'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .executeTakeFirst();
}

// ————— Writes (the services hold the transaction and pass it in) —————

export async function insertOpportunity(db: Kysely<Database>, values: Insertable<OpportunityTable>): Promise<number> {
  return (await db.insertInto('opportunities').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/** Marks the opportunity changed without a version bump (a team change is not a figure anyone edits). */
export async function touchOpportunity(db: Kysely<Database>, workspaceId: number, id: number, now: number) {
  await db
    .updateTable('opportunities')
    .set({ updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function insertTeamMember(
  db: Kysely<Database>,
  member: { workspaceId: number; opportunityId: number; userId: number; teamRole: string; now: number },
) {
  await db
    .insertInto('opportunity_team')
    .values({
      workspace_id: member.workspaceId,
      opportunity_id: member.opportunityId,
      user_id: member.userId,
      team_role: member.teamRole,
      created_at: member.now,
    })
    .execute();
}

export async function deleteTeamMember(
  db: Kysely<Database>,
  workspaceId: number,
  opportunityId: number,
  memberId: number,
) {
  await db
    .deleteFrom('opportunity_team')
    .where('workspace_id', '=', workspaceId)
    .where('opportunity_id', '=', opportunityId)
    .where('id', '=', memberId)
    .execute();
}

/** The new owner takes the sales-lead seat, and leaves any other seat they held on the team. */
export async function seatNewLead(
  db: Kysely<Database>,
  workspaceId: number,
  opportunityId: number,
  userId: number,
  now: number,
) {
  await db
    .deleteFrom('opportunity_team')
    .where('workspace_id', '=', workspaceId)
    .where('opportunity_id', '=', opportunityId)
    .where('team_role', '=', 'sales_lead')
    .execute();
  await db
    .deleteFrom('opportunity_team')
    .where('workspace_id', '=', workspaceId)
    .where('opportunity_id', '=', opportunityId)
    .where('user_id', '=', userId)
    .execute();
  await insertTeamMember(db, { workspaceId, opportunityId, userId, teamRole: 'sales_lead', now });
}

export async function insertStageEntry(db: Kysely<Database>, row: Insertable<OpportunityStageHistoryTable>) {
  await db.insertInto('opportunity_stage_history').values(row).execute();
}

/** Closes the open stage-history row (the stage being left). */
export async function leaveCurrentStage(
  db: Kysely<Database>,
  workspaceId: number,
  opportunityId: number,
  exit: Updateable<OpportunityStageHistoryTable>,
) {
  await db
    .updateTable('opportunity_stage_history')
    .set(exit)
    .where('workspace_id', '=', workspaceId)
    .where('opportunity_id', '=', opportunityId)
    .where('left_at', 'is', null)
    .execute();
}

/** The ids of the list's rows under a filter, oldest first, at most `limit`: a bulk action's "all N matching". */
export async function matchingOpportunityIds(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: OpportunityFilter,
  limit: number,
) {
  const query = await filteredOpportunities(db, engine, actor, filter);
  const rows = await query.select('opportunities.id').orderBy('opportunities.id').limit(limit).execute();
  return rows.map((row) => row.id);
}

/** The selected deals the actor may see, with what decides whether they may change hands (one batch of ids). */
export async function bulkCandidates(db: Kysely<Database>, actor: Actor, ids: number[]) {
  return visibleOpportunities(db, actor)
    .select(['opportunities.id', 'opportunities.owner_id', 'opportunities.status', 'org_units.path as unit_path'])
    .where('opportunities.id', 'in', ids)
    .execute();
}

/** Gives one batch of deals to a new owner and unit, bumping their versions. */
export async function reassignOpportunities(
  db: Kysely<Database>,
  workspaceId: number,
  ids: number[],
  owner: { id: number; unitId: number },
  now: number,
) {
  await db
    .updateTable('opportunities')
    .set((eb) => ({ owner_id: owner.id, org_unit_id: owner.unitId, updated_at: now, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
}
