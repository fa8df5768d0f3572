import { client, createTestApp, json, seedExtras, seedWorkspace, sessionCookie, type Call } from './app.ts';
import type { Engine } from '../../src/db/dialect.ts';
import assert from 'node:assert/strict';
import type { OpportunityDetail as Opp } from '../../src/contracts/opportunities.ts';
import type { Insight } from '../../src/contracts/opportunity-insight.ts';
import type { Process, Stage } from '../../src/contracts/sales-processes.ts';

type StageWithEvidence = { id: number; evidence: { key: string; requires: string }[] };

/**
 * The world of the opportunity team, closing and reopening suites (test/api/opportunity-team,
 * opportunity-close, opportunity-reopen): a workspace with its extras and a second one, a client
 * per role, the small process's stages, and the helpers that make a rep's opportunity with the
 * evidence of the stages before it. Each suite makes its own.
 */
export async function opportunityWorld(engine: Engine) {
  const testApp = await createTestApp(engine);
  const base = await seedWorkspace(testApp, 'team');
  const fixture = { ...base, ...(await seedExtras(testApp, base)) };
  const ob = await seedWorkspace(testApp, 'team-other');
  const other = { ...ob, ...(await seedExtras(testApp, ob)) };
  const stageIds = fixture.processes.small.stageIds;
  const as: Record<'admin' | 'manager' | 'rep' | 'rep2' | 'presales' | 'otherAdmin', Call> = {
    admin: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id)),
    manager: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id)),
    rep: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id)),
    rep2: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep2.id)),
    presales: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.presales.id)),
    otherAdmin: client(testApp, await sessionCookie(testApp, other.workspaceId, other.users.admin.id)),
  };
  const stages = json<{ stages: StageWithEvidence[] }>(
    await as.rep('GET', `/api/v1/sales-processes/${fixture.processes.small.id}`),
  ).stages;

  const upload = async (call: Call = as.rep) =>
    json<{ id: number }>(
      await call('POST', '/api/v1/attachments?fileName=proof.pdf', Buffer.from('%PDF-1.4 proof'), {
        'content-type': 'application/pdf',
      }),
    ).id;
  /** Every item of the stages given, a note or a fresh file where the item asks. */
  const evidenceOf = async (of: StageWithEvidence[]) =>
    Promise.all(
      of.flatMap((stage) =>
        stage.evidence.map(async (evidenceItem) => ({
          stageId: stage.id,
          key: evidenceItem.key,
          note: evidenceItem.requires === 'note' ? '客户已确认' : null,
          attachmentId: evidenceItem.requires === 'attachment' ? await upload() : null,
        })),
      ),
    );
  /** A fresh rep opportunity in the small process, by default at the Proposal stage (roles: sales lead, presales), entered with the evidence of the stages before it. */
  const create = async (stage = 1, amount = 120_000_00) =>
    json<Opp>(
      await as.rep('POST', '/api/v1/opportunities', {
        accountId: fixture.accounts.repAccount,
        name: `团队测试 ${Math.random()}`,
        processId: fixture.processes.small.id,
        stageId: stageIds[stage],
        amount,
        expectedCloseDate: '2027-02-28',
        evidence: await evidenceOf(stages.slice(0, stage)),
      }),
    );
  const get = async (call: Call, id: number) => json<Opp>(await call('GET', `/api/v1/opportunities/${id}`));
  const rights = async (call: Call, id: number) =>
    json<{ permissions: Record<string, boolean> }>(await call('GET', `/api/v1/opportunities/${id}`)).permissions;
  return { testApp, fixture, other, stageIds, stages, as, upload, evidenceOf, create, get, rights };
}

export type OpportunityWorld = Awaited<ReturnType<typeof opportunityWorld>>;

/**
 * The world of the opportunity insight suites (test/api/opportunity-insight, opportunity-strategy,
 * opportunity-reviews): a workspace with its extras and a second one, a client per role, the
 * rep's opportunity they all work on, and its insight read.
 */
export async function insightWorld(engine: Engine) {
  const testApp = await createTestApp(engine);
  const base = await seedWorkspace(testApp, 'ins');
  const fixture = { ...base, ...(await seedExtras(testApp, base)) };
  const ob = await seedWorkspace(testApp, 'other');
  const other = { ...ob, ...(await seedExtras(testApp, ob)) };
  const clientFor = async (userId: number, ws = fixture.workspaceId) =>
    client(testApp, await sessionCookie(testApp, ws, userId));
  const as: Record<'admin' | 'executive' | 'manager' | 'rep' | 'rep2' | 'presales' | 'finance' | 'otherAdmin', Call> = {
    admin: await clientFor(fixture.users.admin.id),
    executive: await clientFor(fixture.users.executive.id),
    manager: await clientFor(fixture.users.manager.id),
    rep: await clientFor(fixture.users.rep.id),
    rep2: await clientFor(fixture.users.rep2.id),
    presales: await clientFor(fixture.users.presales.id),
    finance: await clientFor(fixture.users.finance.id),
    otherAdmin: await clientFor(other.users.admin.id, other.workspaceId),
  };
  const opp = fixture.opportunities.repOpp;

  const insight = async (call: Call = as.rep) => {
    const res = await call('GET', `/api/v1/opportunities/${opp}/insight`);
    assert.equal(res.statusCode, 200, res.body);
    return json<Insight>(res);
  };
  const all = (answer: 'yes' | 'partly' | 'no') =>
    Object.fromEntries(['pain', 'power', 'vision', 'value', 'control', 'criteria'].map((k) => [k, { answer }]));
  return { testApp, fixture, other, as, opp, insight, all };
}

export type InsightWorld = Awaited<ReturnType<typeof insightWorld>>;

/**
 * The world of the sales-process and opportunity suites (test/api/opportunities,
 * opportunity-moves): a workspace with its extras, a client per role, the small and large
 * processes as a rep reads them, and the helpers that create an opportunity and gather a stage's
 * evidence.
 */
export async function salesProcessWorld(engine: Engine) {
  const testApp = await createTestApp(engine);
  const base = await seedWorkspace(testApp, 'opp');
  const fixture = { ...base, ...(await seedExtras(testApp, base)) };
  const as: Record<'admin' | 'manager' | 'rep' | 'rep2' | 'presales', Call> = {
    admin: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id)),
    manager: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id)),
    rep: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id)),
    rep2: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep2.id)),
    presales: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.presales.id)),
  };
  const list = json<{ items: { id: number; templateKey: string }[] }>(
    await as.rep('GET', '/api/v1/sales-processes'),
  ).items;
  const small = json<Process>(
    await as.rep('GET', `/api/v1/sales-processes/${list.find((p) => p.templateKey === 'small')!.id}`),
  );
  const large = json<Process>(
    await as.rep('GET', `/api/v1/sales-processes/${list.find((p) => p.templateKey === 'large')!.id}`),
  );

  const create = (call: Call, body: Record<string, unknown>) =>
    call('POST', '/api/v1/opportunities', {
      accountId: fixture.accounts.repAccount,
      name: '视觉检测项目',
      processId: small.id,
      amount: 180_000_00,
      expectedCloseDate: '2027-01-15',
      ...body,
    });
  const intent = () => small.stages[0]!;
  // Items that require an attachment get a freshly uploaded file (it becomes this opportunity's evidence).
  const upload = async () =>
    json<{ id: number }>(
      await as.rep('POST', '/api/v1/attachments?fileName=proof.pdf', Buffer.from('%PDF-1.4 proof'), {
        'content-type': 'application/pdf',
      }),
    ).id;
  const fullEvidence = async (stage: Stage) =>
    Promise.all(
      stage.evidence.map(async (evidenceItem) => ({
        stageId: stage.id,
        key: evidenceItem.key,
        note: evidenceItem.requires === 'note' ? '客户确认了产线良率问题' : null,
        attachmentId: evidenceItem.requires === 'attachment' ? await upload() : null,
      })),
    );
  return { testApp, fixture, as, small, large, create, intent, upload, fullEvidence };
}

export type SalesProcessWorld = Awaited<ReturnType<typeof salesProcessWorld>>;
