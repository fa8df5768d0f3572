import { client, createTestApp, json, seedExtras, seedWorkspace, sessionCookie } from './app.ts';
import assert from 'node:assert/strict';
import type { Engine } from '../../src/db/dialect.ts';
import type { Rules } from '../../src/contracts/rules.ts';
import {
  recountTotals,
  recountUnitTotals,
  storedTotals,
  storedUnitTotals,
} from '../../src/modules/funnel/repository/recount.ts';
import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';

export type Problem = { code: string; errors?: { field: string; code: string }[] };

export const LINES = [
  { key: 'software', nameZh: '软件', nameEn: 'Software', products: ['ERP', 'MES'] },
  { key: 'services', nameZh: '服务', nameEn: 'Services', products: ['实施服务', '培训'] },
];
export const PRODUCT_SETS = [
  [],
  ['ERP'],
  ['MES', 'ERP'],
  ['实施服务'],
  ['实施服务', 'ERP'],
  ['咨询'],
  ['培训', '咨询'],
];

const rowKey = (row: Record<string, unknown>) =>
  Object.keys(row)
    .filter((k) => k !== 'deals' && k !== 'amount')
    .sort()
    .map((k) => `${k}=${String(row[k])}`)
    .join('|');
const normal = (rows: Record<string, unknown>[]) =>
  rows.map((row) => `${rowKey(row)}:${Number(row.deals)}/${Number(row.amount)}`).sort();

/** A seeded pseudo-random generator: the same sequence of changes every run. */
export function rng(seed: number) {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/**
 * The world of the business-line suites (test/api/business-lines-rules, business-lines-deals): a
 * workspace with its extras on Saturday 5 December 2026 (FY2026-Q4 running), the funnel rebuilt,
 * clients for the admin, the manager and the rep, and the helpers that read and set the lines,
 * create a deal of given products, and check the kept totals against a full recount.
 */
export async function businessLinesWorld(engine: Engine) {
  // Saturday 5 December 2026: FY2026-Q4 is running.
  const testApp = await createTestApp(engine, {}, { clock: () => Date.UTC(2026, 11, 5, 4) });
  const fixture = await seedWorkspace(testApp, 'a');
  const extras = await seedExtras(testApp, fixture);
  await rebuildFunnel(testApp.db.kysely, fixture.workspaceId);
  const admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
  const manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
  const rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));

  const rules = async () => json<Rules>(await admin('GET', '/api/v1/workspace/rules'));
  const setLines = async (lines: unknown) =>
    admin('PATCH', '/api/v1/workspace/rules', { version: (await rules()).version, businessLines: lines });
  const assertTotalsEqualRecount = async () => {
    const { kysely } = testApp.db;
    assert.deepEqual(
      normal(await storedTotals(kysely, fixture.workspaceId)),
      normal(await recountTotals(kysely, fixture.workspaceId, 200_000_00)),
    );
    assert.deepEqual(
      normal(await storedUnitTotals(kysely, fixture.workspaceId)),
      normal(await recountUnitTotals(kysely, fixture.workspaceId, 200_000_00)),
    );
  };
  const createDeal = async (products: string[], amount: number, ownerId = fixture.users.rep.id) => {
    const res = await admin('POST', '/api/v1/opportunities', {
      accountId: fixture.accounts.repAccount,
      name: `项目 ${products.join('+') || '无产品'} ${amount}`,
      processId: extras.processes.small.id,
      amount,
      expectedCloseDate: '2026-12-20',
      ownerId,
      stageId: extras.processes.small.stageIds[1],
      products,
      override: true,
      reason: '老客户复购',
    });
    assert.equal(res.statusCode, 201, res.body);
    return json<{ id: number; version: number }>(res);
  };
  return { testApp, fixture, extras, admin, manager, rep, rules, setLines, assertTotalsEqualRecount, createDeal };
}

export type BusinessLinesWorld = Awaited<ReturnType<typeof businessLinesWorld>>;
