import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedWorkspace,
  sessionCookie,
  type Call,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';

import type { Problem } from '../../src/contracts/common.ts';
import type { Rules } from '../../src/contracts/rules.ts';

for (const engine of testEngines()) {
  describe(`workspace rules [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let admin: Call;
    let manager: Call;
    let rep: Call;
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'a');
      await seedWorkspace(testApp, 'b');
      admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
      manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
    });
    after(() => testApp.close());

    it('anyone signed in reads the rules, with the defaults of the method', async () => {
      const rules = json<Rules>(await rep('GET', '/api/v1/workspace/rules'));
      assert.deepEqual(
        { ...rules, version: 0 },
        {
          tierAShareBp: 8000,
          tierBShareBp: 9500,
          tierWindowMonths: 12,
          followUpDays: { A: 7, B: 15, C: 30 },
          poolReleaseDays: { A: null, B: 60, C: 30 },
          claimLimit: 200,
          largeDealThreshold: 200_000_00,
          version: 0,
          qualifyingActivityTypes: ['visit', 'call', 'meeting', 'demo', 'technical_exchange'],
          forecastCommitWeight: 70,
          forecastPossibleWeight: 25,
          forecastUnforecastRate: 4,
          gapP1: 70,
          gapP2: 25,
          gapP3: 20,
          taxRatePercent: 13,
          defaultQuotaBasis: 'tax_inclusive',
          activityNewAccountsTarget: 5,
          activityVisitsTarget: 0,
          collectionFirstPeriodShare: 50,
          collectionRealisationPercent: 100,
          stalledFactorPercent: 150,
          valueGrowthBp: 2000,
          valueShrinkBp: 1000,
          callbackRatePercent: 10,
          businessLines: [],
        },
      );
    });

    it('only an administrator changes them; a partial change keeps the rest and bumps the version', async () => {
      const r0 = json<Rules>(await admin('GET', '/api/v1/workspace/rules'));
      assert.equal(
        (await manager('PATCH', '/api/v1/workspace/rules', { version: r0.version, claimLimit: 10 })).statusCode,
        403,
      );
      const res = await admin('PATCH', '/api/v1/workspace/rules', {
        version: r0.version,
        tierAShareBp: 7000,
        followUpDays: { A: 5 },
        poolReleaseDays: { C: null },
      });
      assert.equal(res.statusCode, 200, res.body);
      const rules = json<Rules>(res);
      assert.equal(rules.version, r0.version + 1);
      assert.deepEqual(
        [rules.tierAShareBp, rules.tierBShareBp, rules.followUpDays, rules.poolReleaseDays],
        [7000, 9500, { A: 5, B: 15, C: 30 }, { A: null, B: 60, C: null }],
      );
      const stored = await testApp.db.kysely
        .selectFrom('workspaces')
        .select(['settings', 'version'])
        .where('id', '=', fixture.workspaceId)
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(stored.settings).tierAShareBp, 7000);
      // The workspace settings page reads the same version.
      assert.equal(json<{ version: number }>(await admin('GET', '/api/v1/workspace')).version, rules.version);
      const audit = await testApp.db.kysely
        .selectFrom('audit_log')
        .select('detail')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'workspace.rules')
        .execute();
      assert.equal(audit.length, 1);
      assert.deepEqual(JSON.parse(audit[0]!.detail!).tierAShareBp, { from: 8000, to: 7000 });
      // The recompute uses the thresholds in force.
      const summary = json<{ thresholds: { aShareBp: number } }>(await rep('GET', '/api/v1/tiers/summary'));
      assert.equal(summary.thresholds.aShareBp, 7000);
    });

    it('bad input names the field and nothing is half-saved', async () => {
      const before = await testApp.db.kysely
        .selectFrom('workspaces')
        .select(['settings', 'version'])
        .where('id', '=', fixture.workspaceId)
        .executeTakeFirstOrThrow();
      const version = before.version;
      const cases: [unknown, string, number][] = [
        [{ version: version, tierAShareBp: 9600 }, 'tierAShareBp', 400], // A ≥ B (9500)
        [{ version: version, tierBShareBp: 10_001 }, 'tierBShareBp', 400],
        [{ version: version, tierWindowMonths: 0 }, 'tierWindowMonths', 400],
        [{ version: version, followUpDays: { B: 0 } }, 'followUpDays.B', 400],
        [{ version: version, followUpDays: { A: 20 } }, 'followUpDays.A', 400], // A longer than B (15)
        [{ version: version, claimLimit: 1.5 }, 'claimLimit', 400],
        [{ version: version, poolReleaseDays: { B: 10 } }, 'poolReleaseDays.B', 400], // shorter than the B follow-up interval
        [{ version: version, stalledFactorPercent: 99 }, 'stalledFactorPercent', 400],
        [{ version: version, stalledFactorPercent: 1.5 }, 'stalledFactorPercent', 400],
        [{ version: version, valueGrowthBp: 0 }, 'valueGrowthBp', 400],
        [{ version: version, valueShrinkBp: 10_001 }, 'valueShrinkBp', 400],
        [{ version: version, surprise: 1 }, '', 400],
        [{ version: version - 1, claimLimit: 5 }, 'version', 409],
      ];
      for (const [body, field, status] of cases) {
        const res = await admin('PATCH', '/api/v1/workspace/rules', body);
        assert.equal(res.statusCode, status, `${JSON.stringify(body)}: ${res.body}`);
        if (field)
          assert.ok(
            (json<Problem>(res).errors ?? []).some((e) => e.field === field),
            `${field} in ${res.body}`,
          );
      }
      // A valid change beside an invalid one: neither is saved.
      const mixed = await admin('PATCH', '/api/v1/workspace/rules', {
        version: version,
        claimLimit: 50,
        tierAShareBp: 9900,
      });
      assert.equal(mixed.statusCode, 400);
      const after = await testApp.db.kysely
        .selectFrom('workspaces')
        .select(['settings', 'version'])
        .where('id', '=', fixture.workspaceId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(after, before);
    });
    it('sets the forecast weights and gap factors within 0–100 (docs/targets.md § Revenue forecast)', async () => {
      const r0 = json<Rules>(await admin('GET', '/api/v1/workspace/rules'));
      for (const bad of [
        { forecastCommitWeight: 101 },
        { forecastUnforecastRate: -1 },
        { gapP3: 0 },
        { gapP1: 12.5 },
        { taxRatePercent: 101 },
        { taxRatePercent: -1 },
        { callbackRatePercent: 0 },
        { callbackRatePercent: 101 },
      ]) {
        const res = await admin('PATCH', '/api/v1/workspace/rules', { version: r0.version, ...bad });
        assert.equal(res.statusCode, 400, JSON.stringify(bad));
        assert.equal(json<{ errors: { field: string }[] }>(res).errors[0]!.field, Object.keys(bad)[0]);
      }
      const res = await admin('PATCH', '/api/v1/workspace/rules', {
        version: r0.version,
        forecastCommitWeight: 80,
        gapP3: 25,
        taxRatePercent: 6,
        callbackRatePercent: 20,
      });
      assert.equal(res.statusCode, 200, res.body);
      // The quotas convert between their bases at the new rate.
      const quotaTable = json<{ taxRatePercent: number }>(await admin('GET', '/api/v1/quotas'));
      assert.equal(quotaTable.taxRatePercent, 6);
      const rules = json<Rules & { forecastCommitWeight: number; gapP3: number; forecastPossibleWeight: number }>(res);
      assert.deepEqual(
        [
          rules.forecastCommitWeight,
          rules.gapP3,
          rules.forecastPossibleWeight,
          rules.taxRatePercent,
          rules.callbackRatePercent,
        ],
        [80, 25, 25, 6, 20],
      );
      const back = await admin('PATCH', '/api/v1/workspace/rules', {
        version: rules.version,
        forecastCommitWeight: 70,
        gapP3: 20,
        taxRatePercent: 13,
        callbackRatePercent: 10,
      });
      assert.equal(back.statusCode, 200, back.body);
    });

    it('the default quota basis, activity targets and collection factors: checked, used where quotas and reports read them', async () => {
      const r0 = json<Rules>(await admin('GET', '/api/v1/workspace/rules'));
      for (const bad of [
        { defaultQuotaBasis: 'gross' },
        { activityNewAccountsTarget: -1 },
        { activityNewAccountsTarget: 2.5 },
        { activityVisitsTarget: 1001 },
        { collectionFirstPeriodShare: 101 },
        { collectionRealisationPercent: -5 },
      ]) {
        const res = await admin('PATCH', '/api/v1/workspace/rules', { version: r0.version, ...bad });
        assert.equal(res.statusCode, 400, JSON.stringify(bad));
        assert.equal(json<{ errors: { field: string }[] }>(res).errors[0]!.field, Object.keys(bad)[0]);
      }
      const res = await admin('PATCH', '/api/v1/workspace/rules', {
        version: r0.version,
        defaultQuotaBasis: 'net',
        activityNewAccountsTarget: 3,
        activityVisitsTarget: 8,
      });
      assert.equal(res.statusCode, 200, res.body);
      const table = json<{ basis: string; defaultBasis: string; fiscalYear: number }>(
        await admin('GET', '/api/v1/quotas'),
      );
      assert.deepEqual([table.basis, table.defaultBasis], ['net', 'net'], 'the table opens in the default basis');
      // A quota saved without a basis takes the workspace's default; one naming its own keeps it.
      const save = await admin('PUT', '/api/v1/quotas', {
        fiscalYear: table.fiscalYear,
        reason: 'default basis',
        items: [
          { subjectType: 'user', subjectId: fixture.users.rep.id, amount: 1_000_000_00 },
          { subjectType: 'user', subjectId: fixture.users.rep2.id, amount: 1_000_000_00, basis: 'tax_inclusive' },
        ],
      });
      assert.equal(save.statusCode, 200, save.body);
      const rows = json<{ rows: { subjectType: string; subjectId: number; quota: { basis: string } | null }[] }>(
        await admin('GET', `/api/v1/quotas?fiscalYear=${table.fiscalYear}`),
      ).rows;
      const basisOf = (id: number) => rows.find((r) => r.subjectType === 'user' && r.subjectId === id)?.quota?.basis;
      assert.deepEqual([basisOf(fixture.users.rep.id), basisOf(fixture.users.rep2.id)], ['net', 'tax_inclusive']);
      const targets = json<{ activity: { targets: unknown } }>(await admin('GET', '/api/v1/analyses')).activity.targets;
      assert.deepEqual(targets, { newAccountsPerWeek: 3, visitsPerWeek: 8 });
      const back = await admin('PATCH', '/api/v1/workspace/rules', {
        version: json<Rules>(res).version,
        defaultQuotaBasis: 'tax_inclusive',
        activityNewAccountsTarget: 5,
        activityVisitsTarget: 0,
      });
      assert.equal(back.statusCode, 200, back.body);
      const reset = json<{ activity: { targets: unknown } }>(await admin('GET', '/api/v1/analyses')).activity.targets;
      assert.deepEqual(reset, { newAccountsPerWeek: 5, visitsPerWeek: null }, '0 is no target');
    });
  });
}
