import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_SIGN_INS, generateDemoCompany } from '../../src/demo/company.ts';
import { ROLES } from '../../src/domain/roles.ts';
import { demoTerritories } from '../../src/demo/territories.ts';
import { INDUSTRIES } from '../../src/domain/accounts.ts';
import { canonicalProvince } from '../../src/domain/regions.ts';
import { matchTerritory, type TerritoryRule } from '../../src/domain/territory.ts';
import { findConflicts } from '../../src/domain/territory-conflicts.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { timeline } from '../../src/modules/timeline/repository/timeline.ts';
import { createTestDb, testEngines } from '../helpers/db.ts';

describe('demo company generator', () => {
  it('is deterministic for a seed and differs for another seed', () => {
    assert.deepEqual(generateDemoCompany({ seed: 7 }), generateDemoCompany({ seed: 7 }));
    assert.notDeepEqual(generateDemoCompany({ seed: 7 }).users, generateDemoCompany({ seed: 8 }).users);
  });

  it('has a group → 3 regions → branches → departments tree and about 30 users covering every role', () => {
    const company = generateDemoCompany();
    const byType = (t: string) => company.units.filter((u) => u.type === t);
    assert.equal(byType('group').length, 1);
    assert.equal(byType('region').length, 3);
    assert.ok(byType('branch').length >= 6);
    const branchKeys = new Set(byType('branch').map((b) => b.key));
    assert.ok(byType('department').filter((d) => d.parent && branchKeys.has(d.parent)).length >= 8);
    assert.ok(company.units.some((u) => u.name.includes('大客户部')));
    assert.ok(company.users.length >= 25 && company.users.length <= 40, `${company.users.length} users`);
    for (const role of ROLES)
      assert.ok(
        company.users.some((u) => u.role === role),
        role,
      );
    const keys = new Set(company.units.map((u) => u.key));
    assert.ok(company.users.every((u) => keys.has(u.unit)));
    assert.equal(new Set(company.users.map((u) => u.email)).size, company.users.length, 'unique emails');
  });

  it('documents one sign-in per role, and those users exist', () => {
    assert.deepEqual(DEMO_SIGN_INS.map((s) => s.role).sort(), [...ROLES].sort());
    const emails = new Set(generateDemoCompany().users.map((u) => u.email));
    assert.ok(DEMO_SIGN_INS.every((s) => emails.has(s.email)));
    assert.ok(emails.has('admin@demo.keyline.dev'));
  });

  it('scales the sales force for benchmark-sized data', () => {
    const small = generateDemoCompany({ scale: 1 }).users.filter((u) => u.role === 'rep').length;
    const big = generateDemoCompany({ scale: 10 }).users.filter((u) => u.role === 'rep').length;
    assert.ok(big >= small * 8, `${small} → ${big}`);
  });

  describe('territories', () => {
    const company = generateDemoCompany();
    const territories = demoTerritories(company);
    const ids = new Map(company.users.map((u, i) => [u, i + 1]));
    const rules: TerritoryRule[] = territories.map((territory, index) => ({
      id: index + 1,
      province: territory.province,
      city: territory.city,
      district: null,
      industry: territory.industry,
      userId: ids.get(territory.rep)!,
    }));
    const owner = (province: string, city: string | null, industry: string | null) => {
      const match = matchTerritory(rules, { province, city, district: null, industry });
      return match.kind === 'assigned' ? company.users[match.userId - 1]!.email : match.kind;
    };

    it('follow the seed, name reps of the company, and store provinces by their full names', () => {
      const emails = (company: ReturnType<typeof generateDemoCompany>) =>
        demoTerritories(company).map((r) => [r.name, r.rep.email]);
      assert.deepEqual(emails(generateDemoCompany({ seed: 7 })), emails(generateDemoCompany({ seed: 7 })));
      assert.notDeepEqual(emails(generateDemoCompany({ seed: 7 })), emails(generateDemoCompany({ seed: 8 })));
      assert.ok(territories.length >= 10);
      for (const territory of territories) {
        assert.ok(company.users.includes(territory.rep) && territory.rep.role === 'rep', territory.name);
        assert.equal(canonicalProvince(territory.province), territory.province, territory.name);
        assert.ok(
          territory.industry === null || (INDUSTRIES as readonly string[]).includes(territory.industry),
          territory.name,
        );
      }
    });

    it("divide the East region's provinces by industry among every East rep", () => {
      const east = company.users.filter((u) => u.role === 'rep' && /^(sh|hz|nj)-/.test(u.unit));
      for (const eastRep of east.filter((x, i) => east.findIndex((y) => y.unit === x.unit) === i))
        assert.ok(
          territories.some((r) => r.rep === eastRep),
          `${eastRep.unit} holds territory`,
        );
      assert.equal(owner('上海', null, 'electronics'), 'rep@demo.keyline.dev');
      assert.equal(owner('上海市', '上海市', 'energy'), territories.find((r) => r.industry === 'energy')!.rep.email);
      assert.equal(
        owner('江苏省', '苏州市', 'machinery'),
        'rep@demo.keyline.dev',
        'Suzhou goes to the Shanghai branch',
      );
      assert.equal(owner('江苏省', '南京市', 'machinery'), territories.find((r) => r.name === '江苏')!.rep.email);
      assert.equal(owner('四川省', '成都市', 'electronics'), 'none');
    });

    it('hold exactly one deliberate conflict: Suzhou electronics', () => {
      const found = findConflicts(rules);
      assert.equal(found.length, 1);
      assert.deepEqual(found[0]!.place, {
        province: '江苏省',
        city: '苏州市',
        district: null,
        industry: 'electronics',
      });
      assert.equal(owner('江苏省', '苏州市', 'electronics'), 'conflict');
    });
  });
});

for (const engine of testEngines()) {
  describe(`the loaded demo keeps the rules the API enforces [${engine}]`, () => {
    it('names who won every lost deal, and every close has its status row, shown once in the timeline', async () => {
      const db = await createTestDb(engine);
      try {
        const { workspaceId } = await loadDemo(db);
        const kysely = db.kysely;
        const closed = await kysely
          .selectFrom('opportunities')
          .select(['id', 'status', 'owner_id', 'closed_at', 'close_reason', 'close_competitor', 'account_id'])
          .where('workspace_id', '=', workspaceId)
          .where('status', '!=', 'open')
          .orderBy('id')
          .execute();
        const lost = closed.filter((o) => o.status === 'lost');
        assert.ok(lost.length >= 10 && closed.length > lost.length, `${lost.length} lost of ${closed.length} closed`);
        // docs/sales-process.md § The stage gate: a lost deal names who won it, or "none" when the customer bought nothing.
        for (const deal of lost)
          assert.ok(
            deal.close_competitor && deal.close_reason,
            `deal ${deal.id}: ${deal.close_reason} / ${deal.close_competitor}`,
          );
        assert.ok(new Set(lost.map((o) => o.close_competitor)).size >= 4, 'several competitors, not one');
        assert.ok(lost.some((o) => o.close_competitor === 'none'));

        const rows = await kysely
          .selectFrom('record_history')
          .select(['entity_id', 'old_value', 'new_value', 'reason', 'actor_user_id', 'created_at'])
          .where('workspace_id', '=', workspaceId)
          .where('entity_type', '=', 'opportunity')
          .where('field', '=', 'status')
          .execute();
        const byDeal = new Map(rows.map((r) => [r.entity_id, r]));
        // Closed by the owner of the time: the demo's handover has since given some deals to a successor.
        const handedOver = new Map(
          (
            await kysely
              .selectFrom('record_history')
              .select(['entity_id', 'old_value'])
              .where('workspace_id', '=', workspaceId)
              .where('entity_type', '=', 'opportunity')
              .where('field', '=', 'owner')
              .where('reason', '=', 'handover')
              .execute()
          ).map((h) => [h.entity_id, Number(h.old_value)]),
        );
        assert.equal(rows.length, closed.length, 'one status row per closed deal, none for open ones');
        for (const deal of closed) {
          const row = byDeal.get(deal.id);
          assert.ok(row, `deal ${deal.id} has no status row`);
          assert.deepEqual(
            [row.old_value, row.new_value, row.actor_user_id, Number(row.created_at)],
            ['open', deal.status, handedOver.get(deal.id) ?? deal.owner_id, Number(deal.closed_at)],
            `deal ${deal.id}`,
          );
          assert.equal(
            row.reason,
            deal.status === 'lost' ? `${deal.close_reason} · competitor: ${deal.close_competitor}` : null,
            `deal ${deal.id}`,
          );
        }

        // The timeline reads closes from status rows when there are any: each close once, as the deal tells it.
        const admin = await kysely
          .selectFrom('users')
          .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
          .select(['users.id', 'users.org_unit_id', 'org_units.path'])
          .where('users.workspace_id', '=', workspaceId)
          .where('users.role', '=', 'admin')
          .executeTakeFirstOrThrow();
        const actor = {
          workspaceId,
          userId: admin.id,
          role: 'admin' as const,
          orgUnitId: admin.org_unit_id,
          unitPath: admin.path,
          now: Date.now(),
          exportGranted: false,
        };
        for (const accountId of [...new Set(lost.map((o) => o.account_id))].slice(0, 15)) {
          const page = await timeline(
            kysely,
            actor,
            { accountId },
            { kinds: ['opportunity_closed'], limit: 100, offset: 0 },
          );
          const deals = closed.filter((o) => o.account_id === accountId);
          assert.deepEqual(
            page.items.map((e) => Number(e.opportunity_id)).sort((x, y) => x - y),
            deals.map((o) => o.id),
            `account ${accountId}`,
          );
          for (const entry of page.items) {
            const deal = deals.find((d) => d.id === Number(entry.opportunity_id))!;
            assert.deepEqual(
              [entry.new_value, entry.reason, entry.extra],
              [deal.status, deal.close_reason, deal.close_competitor],
            );
          }
        }
      } finally {
        await db.dispose();
      }
    });
  });
}
