import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/policy.ts';
import { visibleAccounts } from '../accounts/repository/accounts.ts';

/**
 * Where purchase amounts come from (docs/archive.md). Until contracts and collections exist it is
 * the won opportunities closed in the window plus the purchase history imported from another
 * system (table purchases); swapping the source means another implementation of this
 * interface, nothing else.
 */
export interface PurchaseSource {
  /** Sum of purchases per account in [from, to), fen. Accounts without purchases are absent. */
  amountsByAccount(db: Kysely<Database>, workspaceId: number, from: number, to: number): Promise<Map<number, number>>;
}

export const wonDealsAndPurchases: PurchaseSource = {
  async amountsByAccount(db, workspaceId, from, to) {
    const [won, imported] = await Promise.all([
      db
        .selectFrom('opportunities')
        .select(['account_id', (eb) => eb.fn.sum<number>('amount').as('amount')])
        .where('workspace_id', '=', workspaceId)
        .where('status', '=', 'won')
        .where('closed_at', '>=', from)
        .where('closed_at', '<', to)
        .groupBy('account_id')
        .execute(),
      db
        .selectFrom('purchases')
        .select(['account_id', (eb) => eb.fn.sum<number>('amount').as('amount')])
        .where('workspace_id', '=', workspaceId)
        .where('purchased_at', '>=', from)
        .where('purchased_at', '<', to)
        .groupBy('account_id')
        .execute(),
    ]);
    const amounts = new Map<number, number>();
    for (const row of [...won, ...imported])
      amounts.set(row.account_id, (amounts.get(row.account_id) ?? 0) + Number(row.amount));
    return amounts;
  },
};

/** The tier state of every active (not archived) account of the workspace. */
export async function tierState(db: Kysely<Database>, workspaceId: number) {
  const rows = await db
    .selectFrom('accounts')
    .select([
      'id',
      'tier',
      'tier_computed',
      'tier_override',
      'named_account',
      'value_type',
      'trailing_amount',
      'prior_amount',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('archived_at', 'is', null)
    .execute();
  return rows.map((r) => ({ ...r, trailing_amount: Number(r.trailing_amount), prior_amount: Number(r.prior_amount) }));
}

export interface TierWrite {
  id: number;
  tierComputed: string;
  valueType: string | null;
  trailing: number;
  prior: number;
}

// Eleven values a row (five CASE arms of two, and the id): 300 rows bind 3,300.
const CHUNK = 300;

/**
 * Writes the computed values of the changed accounts with set-based UPDATEs: one statement
 * per chunk of rows, each column a CASE over the ids (no round trip per row). The effective
 * tier follows the override when there is one. Version and updated_at stay: a computed
 * value is not somebody's edit and must not make an open form stale.
 */
export async function writeTiers(db: Kysely<Database>, workspaceId: number, rows: TierWrite[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const ids = chunk.map((r) => r.id);
    const caseOf = <T>(pick: (row: TierWrite) => T, type: 'bigint' | 'text'): RawBuilder<T> =>
      sql<T>`case ${sql.ref('id')} ${sql.join(
        chunk.map((r) => sql`when ${r.id} then cast(${pick(r)} as ${sql.raw(type)})`),
        sql` `,
      )} end`;
    const computed = caseOf((r) => r.tierComputed, 'text');
    await db
      .updateTable('accounts')
      .set({
        tier_computed: computed,
        tier: (eb) => eb.fn.coalesce('tier_override', computed),
        value_type: caseOf((r) => r.valueType, 'text'),
        trailing_amount: caseOf((r) => r.trailing, 'bigint'),
        prior_amount: caseOf((r) => r.prior, 'bigint'),
      })
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids)
      .execute();
  }
}

/**
 * Stamps the workspace's tiers as computed now (migration 0049), once the recompute has written
 * its batches. Not a stamp per account: that rewrote every account every night (issue 8).
 */
export async function stampComputedAt(db: Kysely<Database>, workspaceId: number, now: number): Promise<void> {
  await db.updateTable('workspaces').set({ tiers_computed_at: now }).where('id', '=', workspaceId).execute();
}

/** When the workspace's tiers were last computed, or null if never. */
export async function computedAt(db: Kysely<Database>, workspaceId: number): Promise<number | null> {
  const row = await db
    .selectFrom('workspaces')
    .select('tiers_computed_at')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  const stamp = row?.tiers_computed_at ?? null;
  return stamp === null ? null : Number(stamp);
}

/** Counts and amounts per tier × value type over the accounts the actor may see. */
export async function tierSummary(db: Kysely<Database>, actor: Actor, unitPath: string | null) {
  let query = visibleAccounts(db, actor).where('accounts.archived_at', 'is', null);
  if (unitPath) query = query.where('org_units.path', 'like', `${unitPath}%`);
  const rows = await query
    .select((eb) => [
      'accounts.tier',
      'accounts.value_type',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('accounts.trailing_amount').as('trailing'),
      eb.fn.sum<number>('accounts.prior_amount').as('prior'),
      eb.fn
        .sum<number>(eb.case().when('accounts.tier_override', 'is not', null).then(1).else(0).end())
        .as('overridden'),
    ])
    .groupBy(['accounts.tier', 'accounts.value_type'])
    .execute();
  return rows.map((row) => ({
    tier: row.tier,
    valueType: row.value_type,
    count: Number(row.n),
    trailing: Number(row.trailing ?? 0),
    prior: Number(row.prior ?? 0),
    overridden: Number(row.overridden ?? 0),
  }));
}

export async function unitPathOf(db: Kysely<Database>, workspaceId: number, unitId: number) {
  const unit = await db
    .selectFrom('org_units')
    .select('path')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', unitId)
    .executeTakeFirst();
  return unit?.path ?? null;
}

/** The selected accounts the actor may see, with their tier state and what decides the right (one batch of ids). */
export async function bulkTierCandidates(db: Kysely<Database>, actor: Actor, ids: number[]) {
  const rows = await visibleAccounts(db, actor)
    .select([
      'accounts.id',
      'accounts.tier',
      'accounts.tier_computed',
      'accounts.tier_override',
      'accounts.named_account',
      'accounts.trailing_amount',
      'accounts.prior_amount',
      'accounts.archived_at',
      'org_units.path as unit_path',
    ])
    .where('accounts.id', 'in', ids)
    .execute();
  return rows.map((r) => ({ ...r, trailing_amount: Number(r.trailing_amount), prior_amount: Number(r.prior_amount) }));
}

/** Sets one tier override on a batch of accounts that end on the same tier and value type; bumps versions. */
export async function overrideTiers(
  db: Kysely<Database>,
  workspaceId: number,
  ids: number[],
  values: { override: string | null; reason: string | null; tier: string; valueType: string | null },
  now: number,
): Promise<void> {
  await db
    .updateTable('accounts')
    .set((eb) => ({
      tier_override: values.override,
      tier_override_reason: values.reason,
      tier: values.tier,
      value_type: values.valueType,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
}
