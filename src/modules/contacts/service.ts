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

export const toContactDto = (row: repo.ContactRow) => ({
  id: row.id,
  accountId: row.account_id,
  accountName: row.account_name,
  accountTier: row.account_tier as Tier,
  accountOwnerId: row.account_owner_id,
  accountOwnerName: row.account_owner_name,
  name: row.name,
  title: row.title,
  department: row.department,
  reportsToId: row.reports_to_id,
  phone: row.phone,
  mobile: row.mobile,
  email: row.email,
  wechat: row.wechat,
  birthday: row.birthday,
  notes: row.notes,
  archived: row.archived_at !== null,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

export async function listContacts(db: Db, actor: Actor, query: Parameters<typeof repo.listContacts>[3]) {
  const { items, total, totalCapped } = await repo.listContacts(db.kysely, db.engine, actor, query);
  return { items: items.map(toContactDto), total, totalCapped };
}

async function requireContact(db: Db, actor: Actor, id: number) {
  const contact = await repo.getContact(db.kysely, actor, id);
  if (!contact) throw notFound('Contact');
  return contact;
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
  ['name', 'name'],
  ['title', 'title'],
  ['department', 'department'],
  ['reportsToId', 'reports_to_id'],
  ['phone', 'phone'],
  ['mobile', 'mobile'],
  ['email', 'email'],
  ['wechat', 'wechat'],
  ['birthday', 'birthday'],
  ['notes', 'notes'],
];

async function editableAccount(db: Db, actor: Actor, accountId: number, field = 'accountId') {
  const account = await accountForField(db, actor, accountId, field);
  if (!canEditAccount(actor, factsOf(account))) throw forbidden('You cannot edit this account');
  return account;
}

async function accountForField(db: Db, actor: Actor, accountId: number, field: string) {
  try {
    return await requireAccount(db, actor, accountId);
  } catch (error) {
    if (error instanceof AppError && error.status === 404)
      throw invalid(field, { code: 'not_found', params: { id: accountId } }, `no account with id ${accountId}`);
    throw error;
  }
}

async function checkReportsTo(
  db: Db,
  actor: Actor,
  accountId: number,
  contactId: number | null,
  reportsToId: number | null | undefined,
) {
  if (reportsToId === undefined || reportsToId === null) return;
  const lines = await repo.reportingLines(db.kysely, actor.workspaceId, accountId);
  if (!lines.has(reportsToId))
    throw invalid('reportsToId', { code: 'not_of_account' }, 'must be a contact of the same account');
  if (contactId !== null && (reportsToId === contactId || wouldCreateCycle(contactId, reportsToId, lines))) {
    throw invalid('reportsToId', { code: 'cycle' }, 'would make the reporting lines circular', 'reporting_cycle');
  }
}

export async function createContact(db: Db, actor: Actor, input: ContactFields & { accountId: number; name: string }) {
  await editableAccount(db, actor, input.accountId);
  await checkReportsTo(db, actor, input.accountId, null, input.reportsToId);
  const { now } = actor;
  const row = {
    id: await repo.insertContact(db.kysely, {
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
    }),
  };
  return getContact(db, actor, row.id);
}

export async function updateContact(db: Db, actor: Actor, id: number, patch: ContactFields & { version: number }) {
  const contact = await requireContact(db, actor, id);
  await editableAccount(db, actor, contact.account_id);
  await checkReportsTo(db, actor, contact.account_id, id, patch.reportsToId);
  const set: VersionedValues<'contacts'> = { updated_at: actor.now };
  for (const [key, col] of columns) if (patch[key] !== undefined) (set as Record<string, unknown>)[col] = patch[key];
  await updateVersioned(
    db.kysely,
    'contacts',
    'Contact',
    { workspaceId: actor.workspaceId, id, version: patch.version },
    set,
  );
  return getContact(db, actor, id);
}

/** Contacts are never deleted (docs/archive.md); managers archive them. */
export async function setContactArchived(db: Db, actor: Actor, id: number, archived: boolean, version: number) {
  const contact = await requireContact(db, actor, id);
  const account = await requireAccount(db, actor, contact.account_id);
  if (!canManageAccount(actor, factsOf(account))) throw forbidden('Only a manager can archive contacts');
  await updateVersioned(
    db.kysely,
    'contacts',
    'Contact',
    { workspaceId: actor.workspaceId, id, version },
    { archived_at: archived ? actor.now : null, updated_at: actor.now },
  );
  return getContact(db, actor, id);
}

// ── Buying roles ────────────────────────────────────────────────────────────────

export const toRoleDto = (role: repo.RoleRow) => ({
  id: role.id,
  accountId: role.account_id,
  opportunityId: role.opportunity_id,
  contactId: role.contact_id,
  contactName: role.contact_name,
  role: role.role as BuyingRoleKind,
  attitude: role.attitude as Attitude,
  influence: role.influence as Influence,
  relationship: role.relationship,
  holderUserId: role.holder_user_id,
  holderName: role.holder_name,
  notes: role.notes,
  version: role.version,
  updatedAt: role.updated_at,
});

/**
 * A deal's buying roles follow the deal's visibility, not only its account's: an opportunity
 * the caller cannot see (policy: opportunitiesWithinReach) answers as if it did not exist —
 * 404 when it selects what to read (`query.opportunityId`), 400 naming the field in a body.
 */
const visibleOpportunity = (db: Db, actor: Actor, id: number) =>
  requireOpportunity(db, actor, id).catch((err: unknown) => {
    if (err instanceof AppError && err.status === 404) return undefined;
    throw err;
  });

async function checkOpportunity(
  db: Db,
  actor: Actor,
  accountId: number,
  opportunityId: number | null | undefined,
  from: 'query' | 'body',
) {
  if (opportunityId === null || opportunityId === undefined) return;
  const opportunity = await visibleOpportunity(db, actor, opportunityId);
  if (!opportunity) {
    if (from === 'query')
      throw new AppError('not_found', 'Opportunity not found', {
        errors: [
          fieldError(
            'query.opportunityId',
            { code: 'not_found', params: { id: opportunityId } },
            `no opportunity with id ${opportunityId}`,
          ),
        ],
      });
    throw invalid(
      'opportunityId',
      { code: 'not_found', params: { id: opportunityId } },
      `no opportunity with id ${opportunityId}`,
    );
  }
  if (opportunity.account_id !== accountId)
    throw invalid(
      from === 'query' ? 'query.opportunityId' : 'opportunityId',
      { code: 'not_of_account' },
      'must be an opportunity of the same account',
    );
}

async function checkHolder(db: Db, actor: Actor, holderUserId: number | null | undefined) {
  if (holderUserId === null || holderUserId === undefined) return;
  const user = await repo.activeUser(db.kysely, actor.workspaceId, holderUserId);
  if (!user)
    throw invalid(
      'holderUserId',
      { code: 'not_found', params: { id: holderUserId } },
      `no active user with id ${holderUserId}`,
    );
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

export async function createRole(
  db: Db,
  actor: Actor,
  input: RoleInput & { contactId: number; opportunityId?: number | null | undefined; role: BuyingRoleKind },
) {
  const contact = await repo.getContact(db.kysely, actor, input.contactId);
  if (!contact)
    throw invalid(
      'contactId',
      { code: 'not_found', params: { id: input.contactId } },
      `no contact with id ${input.contactId}`,
    );
  await editableAccount(db, actor, contact.account_id, 'contactId');
  await checkOpportunity(db, actor, contact.account_id, input.opportunityId, 'body');
  await checkHolder(db, actor, input.holderUserId);
  const existing = await repo.listRoles(db.kysely, actor.workspaceId, contact.account_id, input.opportunityId ?? null);
  if (existing.some((r) => r.contact_id === input.contactId && r.role === input.role)) {
    throw conflict('duplicate_role', `${contact.name} already holds this role here`, 'role');
  }
  const { now } = actor;
  const row = {
    id: await repo.insertRole(db.kysely, {
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
    }),
  };
  return toRoleDto((await repo.getRole(db.kysely, actor.workspaceId, row.id))!);
}

async function requireRole(db: Db, actor: Actor, id: number) {
  const role = await repo.getRole(db.kysely, actor.workspaceId, id);
  if (!role) throw notFound('Buying role');
  // Visible through its account, and a deal's role only to those who see the deal.
  await requireAccount(db, actor, role.account_id).catch(() => {
    throw notFound('Buying role');
  });
  if (role.opportunity_id !== null && !(await visibleOpportunity(db, actor, role.opportunity_id)))
    throw notFound('Buying role');
  return role;
}

export async function updateRole(db: Db, actor: Actor, id: number, patch: RoleInput & { version: number }) {
  const role = await requireRole(db, actor, id);
  await editableAccount(db, actor, role.account_id);
  await checkHolder(db, actor, patch.holderUserId);
  const set: VersionedValues<'buying_roles'> = { updated_at: actor.now };
  const cols: [keyof RoleInput, keyof BuyingRoleTable][] = [
    ['role', 'role'],
    ['attitude', 'attitude'],
    ['influence', 'influence'],
    ['relationship', 'relationship'],
    ['holderUserId', 'holder_user_id'],
    ['notes', 'notes'],
  ];
  for (const [key, col] of cols) if (patch[key] !== undefined) (set as Record<string, unknown>)[col] = patch[key];
  await updateVersioned(
    db.kysely,
    'buying_roles',
    'Buying role',
    { workspaceId: actor.workspaceId, id, version: patch.version },
    set,
  );
  return toRoleDto((await repo.getRole(db.kysely, actor.workspaceId, id))!);
}

/** Removing a role assignment (the contact stays). */
export async function deleteRole(db: Db, actor: Actor, id: number) {
  const role = await requireRole(db, actor, id);
  await editableAccount(db, actor, role.account_id);
  await repo.deleteRole(db.kysely, actor.workspaceId, id);
}

/** The relationship map of an account (or of one of its opportunities): chart, lines to our people, gaps, score. */
export async function relationshipMap(db: Db, actor: Actor, accountId: number, opportunityId: number | null) {
  await requireAccount(db, actor, accountId);
  await checkOpportunity(db, actor, accountId, opportunityId, 'query');
  const [contacts, roles] = await Promise.all([
    repo.listContacts(db.kysely, db.engine, actor, {
      accountId,
      limit: 1000,
      offset: 0,
      sort: { column: 'name', desc: false },
    }),
    repo.listRoles(db.kysely, actor.workspaceId, accountId, opportunityId),
  ]);
  const mapRoles: MapRole[] = roles.map((role) => ({
    contactId: role.contact_id,
    role: role.role as BuyingRoleKind,
    attitude: role.attitude as Attitude,
    influence: role.influence as Influence,
    relationship: role.relationship,
    holderUserId: role.holder_user_id,
  }));
  const analysis = analyseRelationshipMap(mapRoles);
  const holders = new Map<number, string>();
  for (const role of roles) if (role.holder_user_id !== null) holders.set(role.holder_user_id, role.holder_name ?? '');
  return {
    contacts: contacts.items.map((item) => ({
      ...toContactDto(item),
      roles: roles.filter((r) => r.contact_id === item.id).map(toRoleDto),
    })),
    holders: [...holders].map(([userId, name]) => ({ userId, name })),
    ...analysis,
  };
}
