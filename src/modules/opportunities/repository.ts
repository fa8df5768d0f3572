import { workspaceSettings } from '../../domain/settings.ts';
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
import type { Actor } from '../../domain/policy.ts';
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
}

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
  return query;
}

export const BOARD_CARDS_PER_COLUMN = 50;
export const BOARD_CARDS_PER_COLUMN_ALL = 20;

/**
 * The kanban board of one process or of all (no processId): open opportunities at every non-won stage (expected to
 * close within [closeFrom, closeTo] when given), and those won within [wonFrom, wonTo) in the
 * won column. Totals come from one grouped query; the cards
 * (largest amount first, at most cardsPerColumn per stage) from one windowed query.
 */
export async function board(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: ScopeFilter & {
    processId?: number | undefined;
    cardsPerColumn: number;
    wonFrom: number;
    wonTo: number;
    closeFrom?: string | undefined;
    closeTo?: string | undefined;
  },
) {
  let scope = await scoped(db, engine, actor, filter);
  if (filter.processId !== undefined) scope = scope.where('opportunities.process_id', '=', filter.processId);
  const base = scope.where((eb) =>
    eb.or([
      // Open ones by their expected close date ("close period"), won ones by when they were won.
      eb.and([
        eb('opportunities.status', '=', 'open'),
        eb('stage.is_won', '=', 0),
        ...(filter.closeFrom ? [eb('opportunities.expected_close_date', '>=', filter.closeFrom)] : []),
        ...(filter.closeTo ? [eb('opportunities.expected_close_date', '<=', filter.closeTo)] : []),
      ]),
      eb.and([
        eb('opportunities.status', '=', 'won'),
        eb('opportunities.closed_at', '>=', filter.wonFrom),
        eb('opportunities.closed_at', '<', filter.wonTo),
      ]),
    ]),
  );
  const [totals, cards] = await Promise.all([
    base
      .select((eb) => [
        'opportunities.stage_id',
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.sum<number | string>('opportunities.amount').as('amount'),
        eb.fn.sum<number | string>(sql`opportunities.amount * stage.probability`).as('weighted'),
      ])
      .groupBy('opportunities.stage_id')
      .execute(),
    db
      .selectFrom(
        base
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
      .execute(),
  ]);
  return {
    totals: totals.map((total) => ({
      stageId: total.stage_id,
      count: Number(total.n),
      amount: Number(total.amount ?? 0),
      weighted: Number(total.weighted ?? 0),
    })),
    cards,
  };
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
