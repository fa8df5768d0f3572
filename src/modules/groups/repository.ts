import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/policy.ts';
import { accountsWithinReach, opportunitiesWithinReach } from '../scope.ts';

/** Deeper than any real group; only a damaged tree (a cycle written around the service) would reach it. */
const MAX_DEPTH = 64;

/** The account and its ancestors, nearest first (ids only: the tree's shape, not what anyone may see). */
export async function ancestors(db: Kysely<Database>, workspaceId: number, accountId: number) {
  const result = await sql<{ id: number; parent_account_id: number | null; depth: number }>`
    with recursive up(id, parent_account_id, depth) as (
      select id, parent_account_id, 0 from accounts where workspace_id = ${workspaceId} and id = ${accountId}
      union all
      select a.id, a.parent_account_id, up.depth + 1 from accounts a join up on a.id = up.parent_account_id
      where a.workspace_id = ${workspaceId} and up.depth < ${MAX_DEPTH}
    ) select id, parent_account_id, depth from up order by depth`.execute(db);
  return result.rows.map((row) => ({
    id: Number(row.id),
    parentId: row.parent_account_id === null ? null : Number(row.parent_account_id),
    depth: Number(row.depth),
  }));
}

/** The root and everything below it, with each member's depth under the root. */
export async function descendants(db: Kysely<Database>, workspaceId: number, rootId: number) {
  const result = await sql<{ id: number; depth: number }>`
    with recursive down(id, depth) as (
      select id, 0 from accounts where workspace_id = ${workspaceId} and id = ${rootId}
      union all
      select a.id, down.depth + 1 from accounts a join down on a.parent_account_id = down.id
      where a.workspace_id = ${workspaceId} and down.depth < ${MAX_DEPTH}
    ) select id, depth from down`.execute(db);
  return result.rows.map((x) => ({ id: Number(x.id), depth: Number(x.depth) }));
}

const CHUNK = 500;
const chunks = <T>(xs: T[]) =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

/** The members the actor may see, with the figures the group page rolls up. */
export async function visibleMembers(db: Kysely<Database>, actor: Actor, ids: number[]) {
  const out = [];
  for (const part of chunks(ids)) {
    out.push(
      ...(await db
        .selectFrom('accounts')
        .innerJoin('org_units', (joinBuilder) =>
          joinBuilder
            .onRef('org_units.id', '=', 'accounts.org_unit_id')
            .onRef('org_units.workspace_id', '=', 'accounts.workspace_id'),
        )
        .leftJoin('users as owner', (joinBuilder) =>
          joinBuilder
            .onRef('owner.id', '=', 'accounts.owner_id')
            .onRef('owner.workspace_id', '=', 'accounts.workspace_id'),
        )
        .where(accountsWithinReach(actor))
        .where('accounts.id', 'in', part)
        .select([
          'accounts.id',
          'accounts.name',
          'accounts.parent_account_id',
          'accounts.tier',
          'accounts.status',
          'accounts.named_account',
          'accounts.owner_id',
          'owner.name as owner_name',
          'accounts.trailing_amount',
          'accounts.prior_amount',
          'accounts.archived_at',
        ])
        .execute()),
    );
  }
  return out;
}

/** Per account: open deals and their amount, won amount — only the deals the actor may see. */
export async function dealFigures(db: Kysely<Database>, actor: Actor, accountIds: number[]) {
  const out = new Map<number, { open: number; openAmount: number; wonAmount: number }>();
  for (const part of chunks(accountIds)) {
    const rows = await db
      .selectFrom('opportunities')
      .innerJoin('org_units', (joinBuilder) =>
        joinBuilder
          .onRef('org_units.id', '=', 'opportunities.org_unit_id')
          .onRef('org_units.workspace_id', '=', 'opportunities.workspace_id'),
      )
      .where(opportunitiesWithinReach(actor))
      .where('opportunities.account_id', 'in', part)
      .select((eb) => [
        'opportunities.account_id',
        eb.fn.sum<number>(eb.case().when('opportunities.status', '=', 'open').then(1).else(0).end()).as('open'),
        eb.fn
          .sum<number>(
            eb.case().when('opportunities.status', '=', 'open').then(eb.ref('opportunities.amount')).else(0).end(),
          )
          .as('open_amount'),
        eb.fn
          .sum<number>(
            eb.case().when('opportunities.status', '=', 'won').then(eb.ref('opportunities.amount')).else(0).end(),
          )
          .as('won_amount'),
      ])
      .groupBy('opportunities.account_id')
      .execute();
    for (const row of rows)
      out.set(row.account_id, {
        open: Number(row.open),
        openAmount: Number(row.open_amount),
        wonAmount: Number(row.won_amount),
      });
  }
  return out;
}

export async function contactCounts(db: Kysely<Database>, workspaceId: number, accountIds: number[]) {
  const out = new Map<number, number>();
  for (const part of chunks(accountIds)) {
    const rows = await db
      .selectFrom('contacts')
      .select(['account_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('workspace_id', '=', workspaceId)
      .where('account_id', 'in', part)
      .where('archived_at', 'is', null)
      .groupBy('account_id')
      .execute();
    for (const row of rows) out.set(row.account_id, Number(row.n));
  }
  return out;
}

export async function creditSplits(db: Kysely<Database>, workspaceId: number, opportunityId: number) {
  return db
    .selectFrom('opportunity_credit_splits')
    .innerJoin('users', (joinBuilder) =>
      joinBuilder
        .onRef('users.id', '=', 'opportunity_credit_splits.user_id')
        .onRef('users.workspace_id', '=', 'opportunity_credit_splits.workspace_id'),
    )
    .select(['opportunity_credit_splits.user_id', 'users.name as user_name', 'opportunity_credit_splits.percent'])
    .where('opportunity_credit_splits.workspace_id', '=', workspaceId)
    .where('opportunity_credit_splits.opportunity_id', '=', opportunityId)
    .orderBy('opportunity_credit_splits.percent', 'desc')
    .orderBy('opportunity_credit_splits.user_id')
    .execute();
}

export async function replaceCreditSplits(
  db: Kysely<Database>,
  workspaceId: number,
  opportunityId: number,
  splits: { userId: number; percent: number }[],
  now: number,
) {
  await db
    .deleteFrom('opportunity_credit_splits')
    .where('workspace_id', '=', workspaceId)
    .where('opportunity_id', '=', opportunityId)
    .execute();
  if (splits.length) {
    await db
      .insertInto('opportunity_credit_splits')
      .values(
        splits.map((split) => ({
          workspace_id: workspaceId,
          opportunity_id: opportunityId,
          user_id: split.userId,
          percent: split.percent,
          created_at: now,
        })),
      )
      .execute();
  }
}

/** Active users of the workspace among `ids`: a split may credit anyone of the company, across branches. */
export async function activeUserIds(db: Kysely<Database>, workspaceId: number, ids: number[]) {
  if (ids.length === 0) return new Set<number>();
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('active', '=', 1)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function accountName(db: Kysely<Database>, workspaceId: number, id: number) {
  return (
    (
      await db
        .selectFrom('accounts')
        .select('name')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst()
    )?.name ?? null
  );
}
