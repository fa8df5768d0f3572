import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedExtras,
  seedWorkspace,
  sessionCookie,
  type Call,
  type Extras,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';
import { readRows } from '../../src/modules/imports/parse.ts';
import type { FunnelMembersResponse } from '../../src/contracts/funnel.ts';

/**
 * The funnel's Excel export, read back as a workbook: its per-member rows hold what the page's
 * table shows — each member's quota, attainment and gap for the period beside their deals —
 * with the same numbers as GET /funnel/members for the same filters, every member (not a page),
 * headed in the language asked for; audited, and only with the export permission.
 * The clock is fixed on Wednesday 2 December 2026 (Shanghai): FY2026-Q4 is running.
 */
const T0 = Date.parse('2026-12-02T04:00:00Z');

async function sheetRows(body: Buffer): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const sheetRow of readRows(body, 'xlsx', 'utf-8')) rows.push(sheetRow.cells);
  return rows;
}

/** The member rows under their own header (the first cell "Person" / "人员"), to the sheet's end. */
function memberSection(rows: string[][], person: string) {
  const at = rows.findIndex((cells) => cells[0] === person);
  assert.ok(at > 0, `a member header "${person}" in the sheet`);
  return { header: rows[at]!, members: rows.slice(at + 1).filter((cells) => cells.some((cell) => cell !== '')) };
}

/** What the sheet must hold for a member of GET /funnel/members: yuan, percent to 0.1, blank for none. */
const cell = (x: number | null) => (x === null ? '' : String(x));
const yuan = (fen: number | null) => cell(fen === null ? null : fen / 100);
const percent = (x: number | null) => cell(x === null ? null : Math.round(x * 1000) / 10);

for (const engine of testEngines()) {
  describe(`funnel export [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let extras: Extras;
    let admin: Call;
    const kysely = () => testApp.db.kysely;

    async function deal(owner: number, unit: number, amount: number, spec: { stage: number; won?: boolean }) {
      const account = owner === fixture.users.rep2.id ? fixture.accounts.rep2Account : fixture.accounts.repAccount;
      await kysely()
        .insertInto('opportunities')
        .values({
          workspace_id: fixture.workspaceId,
          account_id: account,
          name: `导出 ${owner}-${amount}`,
          owner_id: owner,
          org_unit_id: unit,
          amount,
          status: spec.won ? 'won' : 'open',
          expected_close_date: spec.won ? '2026-11-20' : '2026-12-20',
          closed_at: spec.won ? Date.parse('2026-11-20T04:00:00Z') : null,
          process_id: extras.processes.small.id,
          stage_id: extras.processes.small.stageIds[spec.stage]!,
          stage_entered_at: T0,
          forecast_category: 'pipeline',
          created_at: T0 - 30 * 86_400_000,
          updated_at: T0,
          version: 1,
        })
        .execute();
    }

    before(async () => {
      testApp = await createTestApp(
        engine,
        { sessionIdleMs: 400 * 86_400_000, sessionAbsoluteMs: 400 * 86_400_000 },
        { clock: () => T0 },
      );
      fixture = await seedWorkspace(testApp, 'funnel-export');
      extras = await seedExtras(testApp, fixture);
      admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
      const { rep, rep2, manager } = fixture.users;
      // Some ahead, some behind, one with no quota at all (attainment blank, gap below zero).
      await deal(rep.id, fixture.units.sales1, 120_000_00, { stage: 0, won: true });
      await deal(rep.id, fixture.units.sales1, 333_333_33, { stage: 1 });
      await deal(rep2.id, fixture.units.sales3, 45_678_91, { stage: 2 });
      await deal(rep2.id, fixture.units.sales3, 10_000_00, { stage: 0, won: true });
      await deal(manager.id, fixture.units.shanghai, 77_777_77, { stage: 0 });
      await rebuildFunnel(kysely(), fixture.workspaceId);
      const res = await admin('PUT', '/api/v1/quotas', {
        fiscalYear: 2026,
        reason: '年度目标',
        items: [
          { subjectType: 'user', subjectId: rep.id, amount: 1_000_000_00 },
          { subjectType: 'user', subjectId: rep2.id, amount: 3_333_333_33 },
        ],
      });
      assert.equal(res.statusCode, 200, res.body);
    });
    after(() => testApp.close());

    for (const { scope, lang, person, quota } of [
      { scope: 'workspace', lang: 'en-US', person: 'Person', quota: ['Quota (CNY)', 'Attainment (%)', 'Gap (CNY)'] },
      { scope: 'unit:shanghai', lang: 'zh-CN', person: '人员', quota: ['定额(元)', '完成率(%)', '缺口(元)'] },
    ])
      it(`holds each member's quota, attainment and gap as GET /funnel/members answers them (${scope}, ${lang})`, async () => {
        const scopeId = scope === 'workspace' ? scope : `unit:${fixture.units.shanghai}`;
        const query = `scope=${scopeId}&processId=${extras.processes.small.id}&period=FY2026-Q4`;
        const res = await admin('GET', `/api/v1/forecasts/export?report=funnel&${query}&format=xlsx&lang=${lang}`);
        assert.equal(res.statusCode, 200, res.body);
        assert.match(String(res.headers['content-type']), /spreadsheetml/);
        const { header, members } = memberSection(await sheetRows(res.rawPayload), person);
        assert.deepEqual(header.slice(7, 10), quota);
        // The page's default order, furthest behind first: the API's whole table in one page.
        const table = json<FunnelMembersResponse>(await admin('GET', `/api/v1/funnel/members?${query}&limit=500`));
        assert.ok(table.total >= 3, `people enough to tell the rows apart (${table.total})`);
        assert.equal(members.length, table.total, 'every member, not a page');
        assert.ok(
          table.members.some((m) => m.attainment === null && m.quota === 0),
          'someone without a quota',
        );
        assert.ok(
          table.members.some((m) => (m.attainment ?? 0) > 0),
          'someone who has won against a quota',
        );
        table.members.forEach((member, index) =>
          assert.deepEqual(
            members[index]!.slice(0, 10),
            [
              member.name,
              member.orgUnitName,
              String(member.count),
              yuan(member.amount),
              yuan(member.expectedAmount),
              cell(Math.round(member.expectedDeals * 100) / 100),
              yuan(member.won),
              yuan(member.quota),
              percent(member.attainment),
              yuan(member.gap),
            ],
            member.name,
          ),
        );
      });

    it('holds every member, not the first page the API answers', async () => {
      const query = `scope=workspace&processId=${extras.processes.small.id}&period=FY2026-Q4`;
      const page = json<FunnelMembersResponse>(await admin('GET', `/api/v1/funnel/members?${query}&limit=1`));
      const res = await admin('GET', `/api/v1/forecasts/export?report=funnel&${query}&format=xlsx&lang=en-US`);
      const { members } = memberSection(await sheetRows(res.rawPayload), 'Person');
      assert.equal(page.members.length, 1);
      assert.ok(members.length > 1 && members.length === page.total);
      assert.equal(members[0]![0], page.members[0]!.name);
    });

    it('without a period (every open deal) there is no quota to measure against: no such columns', async () => {
      const query = `scope=workspace&processId=${extras.processes.small.id}&period=all`;
      const res = await admin('GET', `/api/v1/forecasts/export?report=funnel&${query}&format=xlsx&lang=en-US`);
      assert.equal(res.statusCode, 200, res.body);
      const { header, members } = memberSection(await sheetRows(res.rawPayload), 'Person');
      assert.deepEqual(header, [
        'Person',
        'Unit',
        'Deals',
        'Amount (CNY)',
        'Expected amount (CNY)',
        'Expected deals',
        'Won (CNY)',
      ]);
      const table = json<FunnelMembersResponse>(await admin('GET', `/api/v1/funnel/members?${query}&limit=500`));
      assert.equal(members.length, table.total);
      assert.ok(members.every((cells) => cells.length <= 7));
    });

    it('is audited with its filters, and refused without the export permission or beyond reach', async () => {
      const query = `scope=unit:${fixture.units.shanghai}&processId=${extras.processes.small.id}&period=FY2026-Q4`;
      await admin('GET', `/api/v1/forecasts/export?report=funnel&${query}&format=xlsx`);
      const audit = await kysely()
        .selectFrom('audit_log')
        .select(['detail', 'actor_user_id'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'export.report')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      const detail = JSON.parse(audit.detail!) as Record<string, unknown>;
      assert.equal(audit.actor_user_id, fixture.users.admin.id);
      assert.deepEqual(
        [detail.report, detail.scope, detail.processId, detail.period],
        ['funnel', `unit:${fixture.units.shanghai}`, extras.processes.small.id, 'FY2026-Q4'],
      );
      const manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
      assert.equal(
        (await manager('GET', `/api/v1/forecasts/export?report=funnel&${query}`)).statusCode,
        403,
        'a manager without the export grant',
      );
      await kysely().updateTable('users').set({ can_export: 1 }).where('id', '=', fixture.users.manager.id).execute();
      assert.equal((await manager('GET', `/api/v1/forecasts/export?report=funnel&${query}`)).statusCode, 200);
      assert.equal(
        (await manager('GET', `/api/v1/forecasts/export?report=funnel&scope=unit:${fixture.units.sales3}`)).statusCode,
        403,
        'a scope out of reach',
      );
    });
  });
}
