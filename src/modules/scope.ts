import type { ExpressionBuilder, Expression, Kysely, SqlBool } from 'kysely';
import type { Database } from '../db/schema.ts';
import { accountReach, unitReach, type Actor } from '../domain/policy.ts';
import { COUNT_CAP } from '../db/counts.ts';

/**
 * Turns the policy's unit reach (src/domain/policy.ts) into a WHERE condition on a query
 * that has `org_units` joined (or selected). Repositories call this for every read of
 * unit-scoped rows, so the rule exists once. Paths hold only digits and '/', so the LIKE
 * prefix needs no escaping.
 */
export function withinReach<DB extends Pick<Database, 'org_units'>, TB extends keyof DB & 'org_units'>(
  actor: Actor,
): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  const reach = unitReach(actor);
  return (eb) => {
    const expressionBuilder = eb as unknown as ExpressionBuilder<Pick<Database, 'org_units'>, 'org_units'>;
    const ws = expressionBuilder('org_units.workspace_id', '=', actor.workspaceId);
    if (reach.kind === 'workspace') return ws;
    if (reach.kind === 'subtree')
      return expressionBuilder.and([ws, expressionBuilder('org_units.path', 'like', `${reach.path}%`)]);
    return expressionBuilder.and([ws, expressionBuilder('org_units.id', '=', reach.unitId)]);
  };
}

type AccountScopeDb = Pick<Database, 'accounts' | 'org_units' | 'opportunities' | 'opportunity_team'>;

/**
 * The actor is on the team of an opportunity of the account in `accounts.id`. Written as
 * `accounts.id IN (…)` rather than a correlated EXISTS: the set of the actor's team accounts
 * is computed once, not once per account row (bench/accounts.ts: 51 ms → see the README).
 */
export function onAccountTeam(eb: ExpressionBuilder<AccountScopeDb, 'accounts'>, actor: Actor) {
  return eb(
    'accounts.id',
    'in',
    eb
      .selectFrom('opportunity_team')
      .innerJoin('opportunities', 'opportunities.id', 'opportunity_team.opportunity_id')
      .select('opportunities.account_id')
      .where('opportunity_team.workspace_id', '=', actor.workspaceId)
      .where('opportunity_team.user_id', '=', actor.userId),
  );
}

/**
 * The ids of the accounts a rep sees: theirs, the pool of their units, those of the deals whose
 * team they are on — one indexed read each (accounts_ws_owner, accounts_ws_pool,
 * opportunity_team_ws_user), united. Written as `id IN (… UNION …)` rather than an OR of the
 * three in the outer WHERE: neither engine can use an index for such an OR there, and both
 * read the whole workspace to test it row by row (test/sql/plans.test.ts).
 */
function ownAccountIds(
  eb: ExpressionBuilder<AccountScopeDb, 'accounts'>,
  workspaceId: number,
  reach: { userId: number; poolUnitIds: number[] },
) {
  const owned = eb
    .selectFrom('accounts as owned')
    .select('owned.id')
    .where('owned.workspace_id', '=', workspaceId)
    .where('owned.owner_id', '=', reach.userId);
  const team = eb
    .selectFrom('opportunity_team')
    .innerJoin('opportunities', 'opportunities.id', 'opportunity_team.opportunity_id')
    .select('opportunities.account_id as id')
    .where('opportunity_team.workspace_id', '=', workspaceId)
    .where('opportunity_team.user_id', '=', reach.userId);
  if (reach.poolUnitIds.length === 0) return owned.union(team);
  const pooled = eb
    .selectFrom('accounts as pooled')
    .select('pooled.id')
    .where('pooled.workspace_id', '=', workspaceId)
    .where('pooled.in_pool', '=', 1)
    .where('pooled.org_unit_id', 'in', reach.poolUnitIds);
  return owned.union(pooled).union(team);
}

/**
 * Account visibility (policy.accountReach) as a condition on a query over `accounts`
 * joined to `org_units` on accounts.org_unit_id. Every account read goes through it.
 */
export function accountsWithinReach(
  actor: Actor,
): (eb: ExpressionBuilder<AccountScopeDb, 'accounts' | 'org_units'>) => Expression<SqlBool> {
  const reach = accountReach(actor);
  return (eb) => {
    const ws = eb('accounts.workspace_id', '=', actor.workspaceId);
    const team = () => onAccountTeam(eb as unknown as ExpressionBuilder<AccountScopeDb, 'accounts'>, actor);
    switch (reach.kind) {
      case 'workspace':
        return ws;
      case 'subtree':
        return eb.and([ws, eb('org_units.path', 'like', `${reach.path}%`)]);
      case 'own':
        // No workspace test beside it: each part of the union has one, and an indexable
        // `workspace_id = ?` here makes SQLite walk the workspace in list order instead.
        return eb('accounts.id', 'in', ownAccountIds(eb as never, actor.workspaceId, reach));
      case 'team':
        // The workspace is tested inside (onAccountTeam), for the reason given under 'own'.
        return team();
      case 'none':
        return eb.and([ws, eb.lit(false)]);
    }
  };
}

/**
 * onAccountTeam tested from the account in `accounts.id`: its deals (opportunities_ws_account_work),
 * then each deal's team row for the actor (opportunity_team_opp_user). For a query that reads one
 * account by its key. onAccountTeam lists every account of the actor's teams first: at the scale
 * set a rep on 495 teams read 495 team rows and their deals (~2,500 pages) for one account.
 */
export function onThisAccountTeam(eb: ExpressionBuilder<AccountScopeDb, 'accounts'>, actor: Actor) {
  return eb.exists(
    eb
      .selectFrom('opportunities as team_deal')
      .innerJoin('opportunity_team as deal_team', 'deal_team.opportunity_id', 'team_deal.id')
      .select('deal_team.id')
      .where('team_deal.workspace_id', '=', actor.workspaceId)
      .whereRef('team_deal.account_id', '=', 'accounts.id')
      .where('deal_team.workspace_id', '=', actor.workspaceId)
      .where('deal_team.user_id', '=', actor.userId),
  );
}

/**
 * accountsWithinReach for a query that reads one account by its key: the same rule, but a rep's
 * and a presales engineer's reach tested on that account's row (owner, pool, its deals' teams)
 * instead of by listing every account they see (ownAccountIds) — the list cost a rep with many
 * team deals 20+ ms on PostgreSQL per account page. Other roles' tests are row tests already.
 */
export function accountWithinReach(
  actor: Actor,
): (eb: ExpressionBuilder<AccountScopeDb, 'accounts' | 'org_units'>) => Expression<SqlBool> {
  const reach = accountReach(actor);
  if (reach.kind !== 'own' && reach.kind !== 'team') return accountsWithinReach(actor);
  return (eb) => {
    const ws = eb('accounts.workspace_id', '=', actor.workspaceId);
    const team = onThisAccountTeam(eb as unknown as ExpressionBuilder<AccountScopeDb, 'accounts'>, actor);
    if (reach.kind === 'team') return eb.and([ws, team]);
    const pooled =
      reach.poolUnitIds.length === 0
        ? []
        : [eb.and([eb('accounts.in_pool', '=', 1), eb('accounts.org_unit_id', 'in', reach.poolUnitIds)])];
    return eb.and([ws, eb.or([eb('accounts.owner_id', '=', reach.userId), ...pooled, team])]);
  };
}

type OpportunityScopeDb = Pick<Database, 'opportunities' | 'org_units' | 'opportunity_team'>;

/**
 * Opportunity visibility (docs/organisation.md) on a query over `opportunities` joined to `org_units` on
 * opportunities.org_unit_id: the workspace for admin and executive, the subtree for a
 * manager, what they own or are on the team of for a rep, the team for presales.
 */
export function opportunitiesWithinReach(
  actor: Actor,
): (eb: ExpressionBuilder<OpportunityScopeDb, 'opportunities' | 'org_units'>) => Expression<SqlBool> {
  const reach = accountReach(actor);
  return (eb) => {
    const ws = eb('opportunities.workspace_id', '=', actor.workspaceId);
    const team = () =>
      eb(
        'opportunities.id',
        'in',
        eb
          .selectFrom('opportunity_team')
          .select('opportunity_team.opportunity_id')
          .where('opportunity_team.workspace_id', '=', actor.workspaceId)
          .where('opportunity_team.user_id', '=', actor.userId),
      );
    switch (reach.kind) {
      case 'workspace':
        return ws;
      case 'subtree':
        return eb.and([ws, eb('org_units.path', 'like', `${reach.path}%`)]);
      case 'own':
        // One indexed read each for owned and team deals, united (see ownAccountIds for why not an OR).
        return eb(
          'opportunities.id',
          'in',
          eb
            .selectFrom('opportunities as owned')
            .select('owned.id')
            .where('owned.workspace_id', '=', actor.workspaceId)
            .where('owned.owner_id', '=', actor.userId)
            .union(
              eb
                .selectFrom('opportunity_team')
                .select('opportunity_team.opportunity_id as id')
                .where('opportunity_team.workspace_id', '=', actor.workspaceId)
                .where('opportunity_team.user_id', '=', actor.userId),
            ),
        );
      case 'team':
        // The workspace is tested inside, for the reason given under accountsWithinReach's 'own'.
        return team();
      case 'none':
        return eb.and([ws, eb.lit(false)]);
    }
  };
}

/**
 * opportunitiesWithinReach for a query that reads the deals of one account or one deal: a rep's
 * and a presales engineer's reach tested on each deal's row (its owner; its team row for the
 * actor, by opportunity_team_opp_user) instead of listing every deal they own or are on the team
 * of — at the scale set 990 rows read and hashed (~8 ms) for an account's ten deals.
 */
export function opportunityWithinReach(
  actor: Actor,
): (eb: ExpressionBuilder<OpportunityScopeDb, 'opportunities' | 'org_units'>) => Expression<SqlBool> {
  const reach = accountReach(actor);
  if (reach.kind !== 'own' && reach.kind !== 'team') return opportunitiesWithinReach(actor);
  return (eb) => {
    const ws = eb('opportunities.workspace_id', '=', actor.workspaceId);
    const team = eb.exists(
      eb
        .selectFrom('opportunity_team as deal_team')
        .select('deal_team.id')
        .whereRef('deal_team.opportunity_id', '=', 'opportunities.id')
        .where('deal_team.workspace_id', '=', actor.workspaceId)
        .where('deal_team.user_id', '=', actor.userId),
    );
    if (reach.kind === 'team') return eb.and([ws, team]);
    return eb.and([ws, eb.or([eb('opportunities.owner_id', '=', reach.userId), team])]);
  };
}

/**
 * The actor as a shaped query's build sees it (src/db/fixed-query.ts, shapedQueries): the
 * workspace, the user and the instant are bound values; the role and the unit decide the
 * scope's shape (a rep's pool units, a manager's path) and stay in the shape's key.
 */
export function standActor(stand: <T>(value: T) => T, actor: Actor): Actor {
  return { ...actor, workspaceId: stand(actor.workspaceId), userId: stand(actor.userId), now: stand(actor.now) };
}

/**
 * Where a list's total stops (src/db/counts.ts): at COUNT_CAP over a workspace or a subtree;
 * exact for a rep's or a presales engineer's own rows, which they count on and which are few.
 */
export function countCapOf(actor: Actor): number | null {
  const reach = accountReach(actor).kind;
  return reach === 'workspace' || reach === 'subtree' ? COUNT_CAP : null;
}

/**
 * The units of the subtree a capped count covers — the filter's unit (orgUnitId) else the
 * manager's own — as a subquery for `accounts.org_unit_id IN (…)`; undefined where the count is
 * not capped over a subtree. The list's conditions already say the same by the unit's path
 * (`org_units.path LIKE …`), so the count is unchanged; but a path can only be tested row by
 * row, and with it alone the count walked every account of the workspace to find a region's
 * (1.27 s at 100,000 accounts, README § Benchmarks). With the units listed, both engines read
 * the subtree's accounts unit by unit through accounts_ws_unit_archived.
 */
export async function countedSubtreeUnits(db: Kysely<Database>, actor: Actor, orgUnitId: number | undefined) {
  if (countCapOf(actor) === null) return undefined;
  const reach = accountReach(actor);
  const pattern =
    orgUnitId !== undefined
      ? await subtreePattern(db, actor.workspaceId, orgUnitId)
      : reach.kind === 'subtree'
        ? `${reach.path}%`
        : undefined;
  if (pattern === undefined) return undefined;
  return db
    .selectFrom('org_units as counted_unit')
    .select('counted_unit.id')
    .where('counted_unit.workspace_id', '=', actor.workspaceId)
    .where('counted_unit.path', 'like', pattern);
}

/**
 * The LIKE pattern of a unit's subtree ("this unit and everything below it"), for list
 * filters by unit. A unit id from another workspace matches nothing.
 */
export async function subtreePattern(db: Kysely<Database>, workspaceId: number, unitId: number): Promise<string> {
  const unit = await db
    .selectFrom('org_units')
    .select('path')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', unitId)
    .executeTakeFirst();
  return `${unit?.path ?? '/none/'}%`;
}

type TaskScopeDb = Pick<Database, 'tasks' | 'org_units'>;

/**
 * Task visibility (docs/rhythm.md § Tasks) on a query over `tasks` joined to the assignee's
 * `org_units`: everyone sees the tasks assigned to them and those they created; a manager also
 * those of everyone in their subtree; admin and executive the workspace's.
 */
export function tasksWithinReach(
  actor: Actor,
): (eb: ExpressionBuilder<TaskScopeDb, 'tasks' | 'org_units'>) => Expression<SqlBool> {
  const reach = unitReach(actor);
  return (eb) => {
    const ws = eb('tasks.workspace_id', '=', actor.workspaceId);
    if (reach.kind === 'workspace') return ws;
    const mine = [eb('tasks.assignee_id', '=', actor.userId), eb('tasks.created_by', '=', actor.userId)];
    if (reach.kind === 'subtree') return eb.and([ws, eb.or([...mine, eb('org_units.path', 'like', `${reach.path}%`)])]);
    return eb.and([ws, eb.or(mine)]);
  };
}

type CallbackScopeDb = Pick<Database, 'callbacks' | 'org_units'>;

/**
 * Callback visibility (docs/rhythm.md § Callback audit) on a query over `callbacks` joined to
 * the rep's `org_units` as `org_units`: an auditor sees the callbacks assigned to them and no
 * others; a manager those of the reps of their subtree; admin and executive the workspace's;
 * nobody else any.
 */
export function callbacksWithinReach(
  actor: Actor,
): (eb: ExpressionBuilder<CallbackScopeDb, 'callbacks' | 'org_units'>) => Expression<SqlBool> {
  const reach = unitReach(actor);
  return (eb) => {
    const ws = eb('callbacks.workspace_id', '=', actor.workspaceId);
    if (actor.role === 'auditor') return eb.and([ws, eb('callbacks.auditor_id', '=', actor.userId)]);
    if (actor.role !== 'admin' && actor.role !== 'executive' && actor.role !== 'manager')
      return eb.and([ws, eb.lit(false)]);
    if (reach.kind === 'subtree') return eb.and([ws, eb('org_units.path', 'like', `${reach.path}%`)]);
    return ws;
  };
}
