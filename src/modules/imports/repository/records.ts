import type { Insertable, Kysely } from 'kysely';
import { batches } from '../../../db/batches.ts';
import type { Database, NewAccount } from '../../../db/schema.ts';
import type { PurchaseTable } from '../../../db/schema-purchases.ts';
import { DEFAULT_TIME_ZONE } from '../../../domain/calendar.ts';
import type { Actor } from '../../../domain/policy.ts';
import { visibleAccounts } from '../../accounts/repository/accounts.ts';
import { onAccountTeam } from '../../scope.ts';

/** The archive records an import reads and writes: people, accounts, contacts and purchases, scoped to the workspace. */

export async function activeUsers(db: Kysely<Database>, workspaceId: number) {
  return db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select(['users.id', 'users.email', 'users.name', 'users.org_unit_id', 'org_units.path'])
    .where('users.workspace_id', '=', workspaceId)
    .where('users.active', '=', 1)
    .execute();
}

/**
 * Accounts of the whole workspace with one of these credit codes or name keys: a duplicate
 * hidden from the importer is still a duplicate (docs/archive.md).
 */
export async function accountsMatching(db: Kysely<Database>, workspaceId: number, codes: string[], keys: string[]) {
  const byCode = codes.length
    ? await db
        .selectFrom('accounts')
        .select(['id', 'name', 'name_key', 'credit_code', 'archived_at'])
        .where('workspace_id', '=', workspaceId)
        .where('credit_code', 'in', codes)
        .execute()
    : [];
  const byKey = keys.length
    ? await db
        .selectFrom('accounts')
        .select(['id', 'name', 'name_key', 'credit_code', 'archived_at'])
        .where('workspace_id', '=', workspaceId)
        .where('name_key', 'in', keys)
        .where('archived_at', 'is', null)
        .execute()
    : [];
  return { byCode, byKey };
}

/** Every live account's name and name key: what imported names are compared with for look-alikes. */
export async function accountNameKeys(db: Kysely<Database>, workspaceId: number) {
  return db
    .selectFrom('accounts')
    .select(['id', 'name', 'name_key'])
    .where('workspace_id', '=', workspaceId)
    .where('archived_at', 'is', null)
    .execute();
}

/** Of these accounts, the ones the actor sees, with the facts that decide editing. */
export async function visibleFacts(db: Kysely<Database>, actor: Actor, ids: number[]) {
  if (ids.length === 0) return [];
  return visibleAccounts(db, actor)
    .select([
      'accounts.id',
      'accounts.owner_id',
      'accounts.in_pool',
      'accounts.archived_at',
      'org_units.path as unit_path',
    ])
    .select((eb) => onAccountTeam(eb as never, actor).as('on_team'))
    .where('accounts.id', 'in', ids)
    .execute();
}

/** Existing contacts of these accounts, to find duplicates (same account, same name). */
export async function contactsOfAccounts(db: Kysely<Database>, workspaceId: number, accountIds: number[]) {
  if (accountIds.length === 0) return [];
  return db
    .selectFrom('contacts')
    .select(['id', 'account_id', 'name', 'mobile', 'email'])
    .where('workspace_id', '=', workspaceId)
    .where('account_id', 'in', accountIds)
    .where('archived_at', 'is', null)
    .execute();
}

// ── Writes (inside the commit transaction) ────────────────────────────────────

/** A multi-row insert; the ids come back in the order of the values. */
export async function insertAccounts(db: Kysely<Database>, values: NewAccount[]): Promise<number[]> {
  if (values.length === 0) return [];
  const rows = await db.insertInto('accounts').values(values).returning('id').execute();
  return rows.map((r) => r.id);
}

export async function updateAccount(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  set: Record<string, unknown>,
) {
  await db
    .updateTable('accounts')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function accountOwners(db: Kysely<Database>, workspaceId: number, ids: number[]) {
  if (ids.length === 0) return new Map<number, number | null>();
  const rows = await db
    .selectFrom('accounts')
    .select(['id', 'owner_id'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.owner_id]));
}

export interface NewContactRow {
  workspace_id: number;
  account_id: number;
  name: string;
  title: string | null;
  department: string | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  birthday: string | null;
  notes: string | null;
  created_by: number;
  created_at: number;
  updated_at: number;
  version: number;
}

/** A multi-row insert; the ids come back in the order of the values. */
export async function insertContacts(db: Kysely<Database>, values: NewContactRow[]): Promise<number[]> {
  if (values.length === 0) return [];
  const rows = await db.insertInto('contacts').values(values).returning('id').execute();
  return rows.map((r) => r.id);
}

/** Every contact of these accounts, archived ones too (they keep their reporting lines). */
export async function contactLines(db: Kysely<Database>, workspaceId: number, accountIds: number[]) {
  const out = [];
  for (let i = 0; i < accountIds.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom('contacts')
        .select(['id', 'account_id', 'name', 'mobile', 'email', 'reports_to_id', 'archived_at'])
        .where('workspace_id', '=', workspaceId)
        .where('account_id', 'in', accountIds.slice(i, i + 500))
        .execute()),
    );
  }
  return out;
}

/**
 * Makes these contacts report to one manager. Only contacts the same commit just created or
 * updated (their version and updated_at already moved once) come here, so neither moves again.
 */
export async function setReportsTo(db: Kysely<Database>, workspaceId: number, managerId: number, contactIds: number[]) {
  for (let i = 0; i < contactIds.length; i += 500) {
    await db
      .updateTable('contacts')
      .set({ reports_to_id: managerId })
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', contactIds.slice(i, i + 500))
      .execute();
  }
}

export async function updateContact(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  set: Record<string, unknown>,
) {
  await db
    .updateTable('contacts')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** The workspace's time zone: "today" of a purchase date is the workspace's today. */
export async function workspaceTimeZone(db: Kysely<Database>, workspaceId: number): Promise<string> {
  const row = await db.selectFrom('workspaces').select('time_zone').where('id', '=', workspaceId).executeTakeFirst();
  return row?.time_zone ?? DEFAULT_TIME_ZONE;
}

/** Purchases already recorded on these accounts, to find the file's rows that repeat one. */
export async function purchasesOfAccounts(db: Kysely<Database>, workspaceId: number, accountIds: number[]) {
  if (accountIds.length === 0) return [];
  const rows: { account_id: number; purchased_on: string; amount: number; product: string | null }[] = [];
  for (const ids of batches(accountIds))
    rows.push(
      ...(await db
        .selectFrom('purchases')
        .select(['account_id', 'purchased_on', 'amount', 'product'])
        .where('workspace_id', '=', workspaceId)
        .where('account_id', 'in', ids)
        .execute()),
    );
  return rows.map((row) => ({ ...row, amount: Number(row.amount) }));
}

export async function insertPurchases(db: Kysely<Database>, rows: Insertable<PurchaseTable>[]): Promise<void> {
  // Ten values a row: 500 rows bind 5,000, far below SQLite's limit.
  for (const chunk of batches(rows)) await db.insertInto('purchases').values(chunk).execute();
}
