import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../versioned.ts';
import type { VersionedValues } from '../../db/versioned.ts';
import type { BuyingRoleTable, ContactTable } from '../../db/schema.ts';
import { canEditAccount, canManageAccount, type Actor } from '../../domain/policy.ts';
import { analyseRelationshipMap, wouldCreateCycle, type MapRole } from '../../domain/relationship-map.ts';
import type { Attitude, BuyingRoleKind, Influence, Tier } from '../../domain/accounts.ts';
import { AppError, conflict, fieldError, forbidden, invalid, notFound } from '../../server/problem.ts';
import { factsOf, requireAccount } from '../accounts/service.ts';
import { requireOpportunity } from '../opportunities/service.ts';
import * as repo from './repository.ts';

export const toContactDto = (r: repo.ContactRow) => ({
  id: r.id,
  accountId: r.account_id,
  accountName: r.account_name,
  accountTier: r.account_tier as Tier,
  accountOwnerId: r.account_owner_id,
  accountOwnerName: r.account_owner_name,
  name: r.name,
  title: r.title,
  department: r.department,
  reportsToId: r.reports_to_id,
  phone: r.phone,
  mobile: r.mobile,
  email: r.email,
  wechat: r.wechat,
  birthday: r.birthday,
  notes: r.notes,
  archived: r.archived_at !== null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
});

export async function listContacts(db: Db, actor: Actor, q: Parameters<typeof repo.listContacts>[3]) {
  const { items, total } = await repo.listContacts(db.kysely, db.engine, actor, q);
  return { items: items.map(toContactDto), total };
}

async function requireContact(db: Db, actor: Actor, id: number) {
  const c = await repo.getContact(db.kysely, actor, id);
  if (!c) throw notFound('Contact');
  return c;
}

export async function getContact(db: Db, actor: Actor, id: number) {
  return toContactDto(await requireContact(db, actor, id));
}

export interface ContactFields {
  name?: string | undefined;
  title?: string | null | undefined;
  department?: string | null | undefined;
  reportsToId?: number | null | undefined;
  phone?: string | null | undefined;
  mobile?: string | null | undefined;
  email?: string | null | undefined;
  wechat?: string | null | undefined;
  birthday?: string | null | undefined;
  notes?: string | null | undefined;
}

const columns: [keyof ContactFields, keyof ContactTable][] = [
  ['name', 'name'], ['title', 'title'], ['department', 'department'], ['reportsToId', 'reports_to_id'], ['phone', 'phone'],
  ['mobile', 'mobile'], ['email', 'email'], ['wechat', 'wechat'], ['birthday', 'birthday'], ['notes', 'notes'],
];

async function editableAccount(db: Db, actor: Actor, accountId: number, field = 'accountId') {
  const account = await accountForField(db, actor, accountId, field);
  if (!canEditAccount(actor, factsOf(account))) throw forbidden('You cannot edit this account');
  return account;
}

async function accountForField(db: Db, actor: Actor, accountId: number, field: string) {
  try {
    return await requireAccount(db, actor, accountId);
  } catch (e) {
    if (e instanceof AppError && e.status === 404) throw invalid(field, { code: 'not_found', params: { id: accountId } }, `no account with id ${accountId}`);
    throw e;
  }
}

async function checkReportsTo(db: Db, actor: Actor, accountId: number, contactId: number | null, reportsToId: number | null | undefined) {
  if (reportsToId === undefined || reportsToId === null) return;
  const lines = await repo.reportingLines(db.kysely, actor.workspaceId, accountId);
  if (!lines.has(reportsToId)) throw invalid('reportsToId', { code: 'not_of_account' }, 'must be a contact of the same account');
  if (contactId !== null && (reportsToId === contactId || wouldCreateCycle(contactId, reportsToId, lines))) {
    throw invalid('reportsToId', { code: 'cycle' }, 'would make the reporting lines circular', 'reporting_cycle');
  }
}

export async function createContact(db: Db, actor: Actor, input: ContactFields & { accountId: number; name: string }) {
  await editableAccount(db, actor, input.accountId);
  await checkReportsTo(db, actor, input.accountId, null, input.reportsToId);
  const { now } = actor;
  const row = { id: await repo.insertContact(db.kysely, {
      workspace_id: actor.workspaceId,
      account_id: input.accountId,
      name: input.name,
      title: input.title ?? null,
      department: input.department ?? null,
      reports_to_id: input.reportsToId ?? null,
      phone: input.phone ?? null,
      mobile: input.mobile ?? null,
      email: input.email ?? null,
      wechat: input.wechat ?? null,
      birthday: input.birthday ?? null,
      notes: input.notes ?? null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      version: 1,
  }) };
  return getContact(db, actor, row.id);
}

export async function updateContact(db: Db, actor: Actor, id: number, patch: ContactFields & { version: number }) {
  const c = await requireContact(db, actor, id);
  await editableAccount(db, actor, c.account_id);
  await checkReportsTo(db, actor, c.account_id, id, patch.reportsToId);
  const set: VersionedValues<'contacts'> = { updated_at: actor.now };
  for (const [k, col] of columns) if (patch[k] !== undefined) (set as Record<string, unknown>)[col] = patch[k];
  await updateVersioned(db.kysely, 'contacts', 'Contact', { workspaceId: actor.workspaceId, id, version: patch.version }, set);
  return getContact(db, actor, id);
}

/** Contacts are never deleted (docs/archive.md); managers archive them. */
export async function setContactArchived(db: Db, actor: Actor, id: number, archived: boolean, version: number) {
  const c = await requireContact(db, actor, id);
  const account = await requireAccount(db, actor, c.account_id);
  if (!canManageAccount(actor, factsOf(account))) throw forbidden('Only a manager can archive contacts');
  await updateVersioned(db.kysely, 'contacts', 'Contact', { workspaceId: actor.workspaceId, id, version }, { archived_at: archived ? actor.now : null, updated_at: actor.now });
  return getContact(db, actor, id);
}

// ── Buying roles ────────────────────────────────────────────────────────────────

export const toRoleDto = (r: repo.RoleRow) => ({
  id: r.id,
  accountId: r.account_id,
  opportunityId: r.opportunity_id,
  contactId: r.contact_id,
  contactName: r.contact_name,
  role: r.role as BuyingRoleKind,
  attitude: r.attitude as Attitude,
  influence: r.influence as Influence,
  relationship: r.relationship,
  holderUserId: r.holder_user_id,
  holderName: r.holder_name,
  notes: r.notes,
  version: r.version,
  updatedAt: r.updated_at,
});

/**
 * A deal's buying roles follow the deal's visibility, not only its account's: an opportunity
 * the caller cannot see (policy: opportunitiesWithinReach) answers as if it did not exist —
 * 404 when it selects what to read (`query.opportunityId`), 400 naming the field in a body.
 */
const visibleOpportunity = (db: Db, actor: Actor, id: number) => requireOpportunity(db, actor, id).catch((e: unknown) => {
  if (e instanceof AppError && e.status === 404) return undefined;
  throw e;
});

async function checkOpportunity(db: Db, actor: Actor, accountId: number, opportunityId: number | null | undefined, from: 'query' | 'body') {
  if (opportunityId === null || opportunityId === undefined) return;
  const o = await visibleOpportunity(db, actor, opportunityId);
  if (!o) {
    if (from === 'query') throw new AppError('not_found', 'Opportunity not found', { errors: [fieldError('query.opportunityId', { code: 'not_found', params: { id: opportunityId } }, `no opportunity with id ${opportunityId}`)] });
    throw invalid('opportunityId', { code: 'not_found', params: { id: opportunityId } }, `no opportunity with id ${opportunityId}`);
  }
  if (o.account_id !== accountId) throw invalid(from === 'query' ? 'query.opportunityId' : 'opportunityId', { code: 'not_of_account' }, 'must be an opportunity of the same account');
}

async function checkHolder(db: Db, actor: Actor, holderUserId: number | null | undefined) {
  if (holderUserId === null || holderUserId === undefined) return;
  const u = await repo.activeUser(db.kysely, actor.workspaceId, holderUserId);
  if (!u) throw invalid('holderUserId', { code: 'not_found', params: { id: holderUserId } }, `no active user with id ${holderUserId}`);
}

export async function listRoles(db: Db, actor: Actor, accountId: number, opportunityId: number | null) {
  await requireAccount(db, actor, accountId);
  await checkOpportunity(db, actor, accountId, opportunityId, 'query');
  return (await repo.listRoles(db.kysely, actor.workspaceId, accountId, opportunityId)).map(toRoleDto);
}

export interface RoleInput {
  role?: BuyingRoleKind | undefined;
  attitude?: Attitude | undefined;
  influence?: Influence | undefined;
  relationship?: number | undefined;
  holderUserId?: number | null | undefined;
  notes?: string | null | undefined;
}

export async function createRole(db: Db, actor: Actor, input: RoleInput & { contactId: number; opportunityId?: number | null | undefined; role: BuyingRoleKind }) {
  const contact = await repo.getContact(db.kysely, actor, input.contactId);
  if (!contact) throw invalid('contactId', { code: 'not_found', params: { id: input.contactId } }, `no contact with id ${input.contactId}`);
  await editableAccount(db, actor, contact.account_id, 'contactId');
  await checkOpportunity(db, actor, contact.account_id, input.opportunityId, 'body');
  await checkHolder(db, actor, input.holderUserId);
  const existing = await repo.listRoles(db.kysely, actor.workspaceId, contact.account_id, input.opportunityId ?? null);
  if (existing.some((r) => r.contact_id === input.contactId && r.role === input.role)) {
    throw conflict('duplicate_role', `${contact.name} already holds this role here`, 'role');
  }
  const { now } = actor;
  const row = { id: await repo.insertRole(db.kysely, {
      workspace_id: actor.workspaceId,
      account_id: contact.account_id,
      opportunity_id: input.opportunityId ?? null,
      contact_id: input.contactId,
      role: input.role,
      attitude: input.attitude ?? 'neutral',
      influence: input.influence ?? 'medium',
      relationship: input.relationship ?? 1,
      holder_user_id: input.holderUserId ?? null,
      notes: input.notes ?? null,
      created_at: now,
      updated_at: now,
      version: 1,
  }) };
  return toRoleDto((await repo.getRole(db.kysely, actor.workspaceId, row.id))!);
}

async function requireRole(db: Db, actor: Actor, id: number) {
  const r = await repo.getRole(db.kysely, actor.workspaceId, id);
  if (!r) throw notFound('Buying role');
  // Visible through its account, and a deal's role only to those who see the deal.
  await requireAccount(db, actor, r.account_id).catch(() => {
    throw notFound('Buying role');
  });
  if (r.opportunity_id !== null && !(await visibleOpportunity(db, actor, r.opportunity_id))) throw notFound('Buying role');
  return r;
}

export async function updateRole(db: Db, actor: Actor, id: number, patch: RoleInput & { version: number }) {
  const r = await requireRole(db, actor, id);
  await editableAccount(db, actor, r.account_id);
  await checkHolder(db, actor, patch.holderUserId);
  const set: VersionedValues<'buying_roles'> = { updated_at: actor.now };
  const cols: [keyof RoleInput, keyof BuyingRoleTable][] = [['role', 'role'], ['attitude', 'attitude'], ['influence', 'influence'], ['relationship', 'relationship'], ['holderUserId', 'holder_user_id'], ['notes', 'notes']];
  for (const [k, col] of cols) if (patch[k] !== undefined) (set as Record<string, unknown>)[col] = patch[k];
  await updateVersioned(db.kysely, 'buying_roles', 'Buying role', { workspaceId: actor.workspaceId, id, version: patch.version }, set);
  return toRoleDto((await repo.getRole(db.kysely, actor.workspaceId, id))!);
}

/** Removing a role assignment (the contact stays). */
export async function deleteRole(db: Db, actor: Actor, id: number) {
  const r = await requireRole(db, actor, id);
  await editableAccount(db, actor, r.account_id);
  await repo.deleteRole(db.kysely, actor.workspaceId, id);
}

/** The relationship map of an account (or of one of its opportunities): chart, lines to our people, gaps, score. */
export async function relationshipMap(db: Db, actor: Actor, accountId: number, opportunityId: number | null) {
  await requireAccount(db, actor, accountId);
  await checkOpportunity(db, actor, accountId, opportunityId, 'query');
  const [contacts, roles] = await Promise.all([
    repo.listContacts(db.kysely, db.engine, actor, { accountId, limit: 1000, offset: 0, sort: { column: 'name', desc: false } }),
    repo.listRoles(db.kysely, actor.workspaceId, accountId, opportunityId),
  ]);
  const mapRoles: MapRole[] = roles.map((r) => ({
    contactId: r.contact_id,
    role: r.role as BuyingRoleKind,
    attitude: r.attitude as Attitude,
    influence: r.influence as Influence,
    relationship: r.relationship,
    holderUserId: r.holder_user_id,
  }));
  const analysis = analyseRelationshipMap(mapRoles);
  const holders = new Map<number, string>();
  for (const r of roles) if (r.holder_user_id !== null) holders.set(r.holder_user_id, r.holder_name ?? '');
  return {
    contacts: contacts.items.map((c) => ({ ...toContactDto(c), roles: roles.filter((r) => r.contact_id === c.id).map(toRoleDto) })),
    holders: [...holders].map(([userId, name]) => ({ userId, name })),
    ...analysis,
  };
}
