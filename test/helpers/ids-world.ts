import {
  client,
  json,
  seedExtras,
  seedWorkspace,
  sessionCookie,
  type Extras,
  type Fixture,
  type TestApp,
} from './app.ts';
import type { LightMyRequestResponse } from 'fastify';
import type { ApiRoute } from '../../src/server/app.ts';

/**
 * The worlds of the ids-in-requests suites (test/api/ids-other-workspace, ids-out-of-reach): a
 * workspace with its extras and a handover in progress from its rep, the record each id field
 * and each route's path parameter refers to in it, and a body for every route whose body
 * carries an id that the workspace's own admin could send successfully.
 */
export type World = Fixture & Extras & { handover: { id: number; itemId: number } };

/** A workspace for the suites: its fixture and extras, and a handover of the rep's work begun by its admin. */
export async function idsWorld(testApp: TestApp, label: string): Promise<World> {
  const fixture = await seedWorkspace(testApp, label);
  const extras = await seedExtras(testApp, fixture);
  const admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
  const handover = json<{ id: number; items: { id: number }[] }>(
    await admin('POST', '/api/v1/handovers', { fromUserId: fixture.users.rep.id }),
  );
  return { ...fixture, ...extras, handover: { id: handover.id, itemId: handover.items[0]!.id } };
}

/** The record of workspace `w` that a field of this name refers to. */
export function idOfKind(field: string, world: World): number {
  const name = field.split('.').at(-1)!;
  if (/^(accountId|referrerAccountId|parentAccountId)$/.test(name)) return world.accounts.repAccount;
  if (/^(ownerId|userId|toUserId|holderUserId|fromUserId|actorUserId|assigneeId|repId)$/.test(name))
    return world.users.rep.id;
  if (name === 'auditorId') return world.users.auditor.id;
  if (/^(orgUnitId|parentId|unitId)$/.test(name)) return world.units.sales2;
  if (/^(contactId|reportsToId|contactIds)$/.test(name)) return world.contacts.repContact;
  if (name === 'opportunityId') return world.opportunities.repOpp;
  if (name === 'processId') return world.processes.small.id;
  if (name === 'stageId' || field === 'stages.*.id') return world.processes.small.stageIds[1]!;
  if (name === 'attachmentId') return world.attachments.repProof;
  if (name === 'itemId') return world.handover.itemId;
  if (name === 'exceptId') return world.accounts.repAccount;
  if (name === 'subjectId') return world.users.rep.id;
  throw new Error(`no record kind for ${field}: add it to idOfKind() in ${import.meta.filename}`);
}

/**
 * A body that workspace A's admin could send successfully, so that only the substituted id
 * can make it fail. Keyed by route; one entry for every route whose body carries an id.
 */
export function bodyFor(route: ApiRoute, world: World): Record<string, unknown> {
  const stageIds = world.processes.small.stageIds;
  const bodies: Record<string, unknown> = {
    'POST /api/v1/accounts': {
      name: '北京字节跳动科技有限公司',
      allowSimilarName: true,
      ownerId: world.users.rep.id,
      referrerAccountId: world.accounts.rep2Account,
    },
    'PATCH /api/v1/accounts/:id': {
      version: 1,
      referrerAccountId: world.accounts.rep2Account,
      ownerId: world.users.rep.id,
      ownerReason: '调整',
    },
    'POST /api/v1/accounts/:id/assign': { version: 1, toUserId: world.users.rep.id, reason: 'x' },
    'POST /api/v1/callbacks/draws': { period: '2026-01', auditorId: world.users.auditor.id },
    'POST /api/v1/accounts/bulk/reassign': {
      ids: [world.accounts.repAccount],
      toUserId: world.users.rep.id,
      reason: 'x',
    },
    'POST /api/v1/accounts/bulk/assign': {
      ids: [world.accounts.poolAccount],
      toUserId: world.users.rep.id,
      reason: 'x',
    },
    'POST /api/v1/opportunities/bulk/reassign': {
      ids: [world.opportunities.repOpp],
      toUserId: world.users.rep.id,
      reason: 'x',
    },
    'PUT /api/v1/accounts/:id/parent': { version: 1, parentAccountId: world.accounts.rep2Account },
    'PUT /api/v1/opportunities/:id/credit-splits': { splits: [{ userId: world.users.rep.id, percent: 100 }] },
    'POST /api/v1/buying-roles': {
      contactId: world.contacts.repContact,
      opportunityId: world.opportunities.repOpp,
      role: 'user',
      holderUserId: world.users.rep.id,
    },
    'PATCH /api/v1/buying-roles/:id': { version: 1, holderUserId: world.users.rep.id },
    'POST /api/v1/contacts': {
      accountId: world.accounts.repAccount,
      name: '李四',
      reportsToId: world.contacts.repContact,
    },
    'PATCH /api/v1/contacts/:id': { version: 1, reportsToId: null },
    'POST /api/v1/handovers': { fromUserId: world.users.rep2.id },
    'PATCH /api/v1/handovers/:id/items': {
      items: [{ itemId: world.handover.itemId, toUserId: world.users.manager.id }],
    },
    'PUT /api/v1/handovers/:id/items/:itemId/note': {
      state: 's',
      openIssues: 'o',
      contactIds: [world.contacts.repContact],
    },
    'POST /api/v1/opportunities': {
      accountId: world.accounts.repAccount,
      name: '新项目',
      processId: world.processes.small.id,
      stageId: stageIds[0],
      amount: 1,
      expectedCloseDate: '2027-01-31',
      ownerId: world.users.rep.id,
      evidence: [{ stageId: stageIds[0], key: 'need_confirmed', attachmentId: world.attachments.repProof }],
    },
    'PATCH /api/v1/opportunities/:id': { version: 1, ownerId: world.users.manager.id, ownerReason: '调整' },
    'POST /api/v1/opportunities/:id/close': {
      version: 1,
      outcome: 'won',
      contractAmount: 1,
      evidence: [{ stageId: stageIds[0], key: 'need_confirmed', attachmentId: world.attachments.repProof }],
      override: true,
      note: 'x',
    },
    'POST /api/v1/opportunities/:id/stage': {
      version: 1,
      stageId: stageIds[1],
      evidence: [{ stageId: stageIds[0], key: 'need_confirmed', attachmentId: world.attachments.repProof }],
      override: true,
      reason: 'x',
    },
    'PUT /api/v1/opportunities/:id/evidence': {
      version: 1,
      evidence: [{ stageId: stageIds[0], key: 'need_confirmed', attachmentId: world.attachments.repProof }],
    },
    'POST /api/v1/opportunities/:id/team': { userId: world.users.presales.id, teamRole: 'presales' },
    'POST /api/v1/org-units': { parentId: world.units.sales1, name: '新组', type: 'team' },
    'PATCH /api/v1/org-units/:id': { version: 1, parentId: world.units.sales2 },
    'POST /api/v1/territories': { province: '云南省', userId: world.users.rep.id },
    'PATCH /api/v1/territories/:id': { version: 1, userId: world.users.rep.id },
    'POST /api/v1/users': {
      email: 'new.user@ids.test',
      name: '新人',
      role: 'rep',
      orgUnitId: world.units.sales2,
      password: 'password-123',
    },
    'PATCH /api/v1/users/:id': { version: 1, orgUnitId: world.units.sales2 },
    'PUT /api/v1/quotas': {
      fiscalYear: 2026,
      reason: '年度目标',
      items: [{ subjectType: 'user', subjectId: world.users.rep.id, amount: 100 }],
    },
    'PUT /api/v1/sales-processes/:id/stage-order': { version: 1, stages: stageIds.map((id) => ({ id })) },
    'POST /api/v1/tasks': {
      title: '回访',
      dueDate: '2027-01-04',
      assigneeId: world.users.rep.id,
      accountId: world.accounts.repAccount,
      opportunityId: world.opportunities.repOpp,
    },
    'POST /api/v1/tasks/:id/reassign': { version: 1, assigneeId: world.users.manager.id },
    'PUT /api/v1/weekly-reports/plan': {
      week: '2026-12-07',
      version: 0,
      deals: [{ opportunityId: world.opportunities.repOpp }],
    },
    'POST /api/v1/forecasts/submissions': {
      deals: [{ opportunityId: world.opportunities.repOpp, category: 'commit', amount: 1 }],
    },
    'PUT /api/v1/forecasts/adjustments': { unitId: world.units.sales1, amount: 1 },
    'POST /api/v1/accounts/:id/activities': {
      type: 'visit',
      opportunityId: world.opportunities.repOpp,
      contactIds: [world.contacts.repContact],
      ownerId: world.users.rep.id,
    },
    'PATCH /api/v1/activities/:id': {
      version: 1,
      opportunityId: world.opportunities.repOpp,
      contactIds: [world.contacts.repContact],
      ownerId: world.users.rep.id,
    },
    'PUT /api/v1/activities/:id/review': {
      version: 1,
      review: { objectives: [], nextSteps: [{ title: '报价', dueDate: '2027-01-15', assigneeId: world.users.rep.id }] },
    },
    'POST /api/v1/activities/:id/attachments': { version: 1, attachmentId: world.attachments.repProof },
  };
  const body = bodies[`${route.method} ${route.url}`];
  if (!body)
    throw new Error(`no valid body for ${route.method} ${route.url}: add one to bodyFor() in ${import.meta.filename}`);
  return structuredClone(body) as Record<string, unknown>;
}

/** The path with workspace A's record in place of each parameter. */
export function urlFor(route: ApiRoute, world: World): string {
  const byPrefix: [string, number][] = [
    ['/api/v1/accounts/:id', world.accounts.repAccount],
    ['/api/v1/buying-roles/:id', world.buyingRoles.repRole],
    ['/api/v1/contacts/:id', world.contacts.repContact],
    ['/api/v1/handovers/:id', world.handover.id],
    ['/api/v1/opportunities/:id', world.opportunities.repOpp],
    ['/api/v1/org-units/:id', world.units.sales1],
    ['/api/v1/territories/:id', world.territories.repRule],
    ['/api/v1/users/:id', world.users.rep2.id],
    ['/api/v1/sales-processes/:id', world.processes.small.id],
    ['/api/v1/tasks/:id', world.tasks.repTask],
    ['/api/v1/activities/:id', world.activities.repVisit],
  ];
  const id = route.url.endsWith('/assign')
    ? world.accounts.poolAccount
    : byPrefix.find(([p]) => route.url.startsWith(p))?.[1];
  return route.url.replace(':id', String(id)).replace(':itemId', String(world.handover.itemId));
}

/** The fields a refusal names. */
export const fieldsOf = (res: LightMyRequestResponse) =>
  (json<{ errors?: { field: string }[] }>(res).errors ?? []).map((e) => e.field);
