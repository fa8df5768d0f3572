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
import { makeCreditCode } from '../../src/domain/credit-code.ts';

import type { Page as PageOf, Problem as ProblemOf } from '../../src/contracts/common.ts';
import type { Account, AccountDetail, DuplicateMatch } from '../../src/contracts/accounts.ts';

type Page = PageOf<Account>;
/** possible_duplicate lists the look-alikes. */
type Problem = ProblemOf & { matches?: DuplicateMatch[] };

let codeSeq = 0;
const newCode = () => makeCreditCode(`91440300${String(100000000 + codeSeq++).slice(0, 9)}`);

for (const engine of testEngines()) {
  describe(`accounts [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let as: Record<'admin' | 'manager' | 'rep' | 'rep2' | 'presales' | 'executive', Call>;
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'acc');
      as = {
        admin: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id)),
        manager: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id)),
        rep: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id)),
        rep2: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep2.id)),
        presales: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.presales.id)),
        executive: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.executive.id)),
      };
    });
    after(() => testApp.close());

    const count = async () =>
      Number(
        (
          await testApp.db.kysely
            .selectFrom('accounts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('workspace_id', '=', fixture.workspaceId)
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('a rep creates an account they own, in their unit, with the owner history started', async () => {
      const res = await as.rep('POST', '/api/v1/accounts', {
        name: '宁波恒泰精密制造有限公司',
        creditCode: newCode().toLowerCase(),
        industry: 'manufacturing',
        province: '浙江省',
        city: '宁波市',
      });
      assert.equal(res.statusCode, 201, res.body);
      const accountDetail = json<AccountDetail>(res);
      assert.equal(accountDetail.ownerId, fixture.users.rep.id);
      assert.equal(accountDetail.orgUnitId, fixture.units.sales1);
      assert.equal(accountDetail.tier, 'C');
      assert.equal(accountDetail.status, 'prospect');
      assert.match(accountDetail.creditCode!, /^[0-9A-Z]{18}$/, 'upper-cased');
      assert.deepEqual(accountDetail.permissions, { edit: true, manage: false });
      const history = json<{ items: { field: string; newValue: string; newLabel: string; reason: string }[] }>(
        await as.rep('GET', `/api/v1/accounts/${accountDetail.id}/history`),
      ).items;
      assert.deepEqual(
        history.map((h) => [h.field, h.newValue, h.reason]),
        [['owner', String(fixture.users.rep.id), 'creator']],
      );
      assert.equal(history[0]!.newLabel, 'rep acc');
    });

    it('rejects bad input naming the field, and saves nothing', async () => {
      const before = await count();
      const cases: [Record<string, unknown>, string, string?][] = [
        [{ name: '' }, 'name'],
        [{ creditCode: newCode() }, 'name'],
        [{ name: 'A公司', creditCode: '91440300708461136U' }, 'creditCode', 'invalid_credit_code'],
        [{ name: 'A公司', creditCode: '12345' }, 'creditCode'],
        [{ name: 'A公司', industry: 'mining' }, 'industry'],
        [{ name: 'A公司', status: 'gone' }, 'status'],
        [{ name: 'x'.repeat(201) }, 'name'],
        [{ name: 'A公司', ownerId: 999999 }, 'ownerId'],
        [{ name: 'A公司', budget: 5 }, 'budget'],
      ];
      for (const [body, field, code] of cases) {
        const res = await as.manager('POST', '/api/v1/accounts', body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)} → ${res.body}`);
        const problem = json<Problem>(res);
        assert.ok(
          problem.errors!.some((e) => e.field === field),
          `${field} in ${res.body}`,
        );
        if (code) assert.equal(problem.code, code);
      }
      assert.equal(await count(), before);
    });

    it('keeps the credit code unique in the workspace', async () => {
      const code = newCode();
      assert.equal(
        (await as.rep('POST', '/api/v1/accounts', { name: '杭州博远液压机械有限公司', creditCode: code })).statusCode,
        201,
      );
      const dup = await as.rep2('POST', '/api/v1/accounts', { name: '完全不同的名字有限公司', creditCode: code });
      assert.equal(dup.statusCode, 409);
      assert.equal(json<Problem>(dup).errors![0]!.field, 'creditCode');
      // Another workspace may hold the same code.
      const other = await seedWorkspace(testApp, 'other');
      const otherRep = client(testApp, await sessionCookie(testApp, other.workspaceId, other.users.rep.id));
      assert.equal(
        (await otherRep('POST', '/api/v1/accounts', { name: '杭州博远液压机械有限公司', creditCode: code })).statusCode,
        201,
      );
    });

    it('warns about a similar name before creating, even one the user cannot see, and creates on confirmation', async () => {
      const name = '华为技术有限公司';
      const check = json<{ matches: { name: string; id: number | null; visible: boolean }[] }>(
        await as.rep2('GET', `/api/v1/accounts/duplicates?name=${encodeURIComponent(name)}`),
      );
      const hit = check.matches.find((m) => m.name === '深圳市华为技术有限公司');
      assert.ok(hit, JSON.stringify(check));
      assert.equal(hit.visible, false, "rep2 cannot see rep's account");
      assert.equal(hit.id, null, 'so its id is withheld');
      const warned = await as.rep2('POST', '/api/v1/accounts', { name });
      assert.equal(warned.statusCode, 409);
      assert.equal(json<Problem>(warned).code, 'possible_duplicate');
      assert.ok(json<Problem>(warned).matches!.length >= 1);
      const forced = await as.rep2('POST', '/api/v1/accounts', { name, allowSimilarName: true });
      assert.equal(forced.statusCode, 201);
      const mine = json<{ matches: { id: number | null; visible: boolean }[] }>(
        await as.rep('GET', `/api/v1/accounts/duplicates?name=${encodeURIComponent(name)}`),
      );
      assert.ok(mine.matches.some((m) => m.id === fixture.accounts.repAccount && m.visible));
    });

    it("assigns a manager's new account by territory, and reports a territory conflict", async () => {
      const now = Date.now();
      const rule = (userId: number, city: string | null) => ({
        workspace_id: fixture.workspaceId,
        province: '广东省',
        city,
        district: null,
        industry: null,
        user_id: userId,
        active: 1,
        created_at: now,
        updated_at: now,
        version: 1,
      });
      await testApp.db.kysely
        .insertInto('territory_rules')
        .values([rule(fixture.users.rep.id, null)])
        .execute();
      const account = json<Account>(
        await as.manager('POST', '/api/v1/accounts', {
          name: '佛山顺德美的精密制造有限公司',
          province: '广东省',
          city: '佛山市',
        }),
      );
      assert.equal(account.ownerId, fixture.users.rep.id);
      await testApp.db.kysely
        .insertInto('territory_rules')
        .values([rule(fixture.users.rep.id, '深圳市'), rule(fixture.users.rep2.id, '深圳市')])
        .execute();
      const conflict = await as.manager('POST', '/api/v1/accounts', {
        name: '深圳光明新材料有限公司',
        province: '广东省',
        city: '深圳市',
      });
      assert.equal(conflict.statusCode, 409);
      assert.equal(json<Problem>(conflict).code, 'territory_conflict');
      const chosen = await as.manager('POST', '/api/v1/accounts', {
        name: '深圳光明新材料有限公司',
        province: '广东省',
        city: '深圳市',
        ownerId: fixture.users.rep.id,
      });
      assert.equal(chosen.statusCode, 201);
      await testApp.db.kysely.deleteFrom('territory_rules').where('workspace_id', '=', fixture.workspaceId).execute();
    });

    it('finds accounts by a Chinese substring of the name, the credit code, or a contact', async () => {
      const byName = json<Page>(await as.rep('GET', `/api/v1/accounts?q=${encodeURIComponent('华为')}`));
      assert.ok(byName.items.some((a) => a.id === fixture.accounts.repAccount));
      const byContact = json<Page>(await as.rep('GET', `/api/v1/accounts?q=${encodeURIComponent('任正')}`));
      assert.deepEqual(
        byContact.items.map((a) => a.id),
        [fixture.accounts.repAccount],
      );
      const code = newCode();
      const account = json<Account>(
        await as.rep('POST', '/api/v1/accounts', { name: '无锡远航物流有限公司', creditCode: code }),
      );
      assert.deepEqual(
        json<Page>(await as.rep('GET', `/api/v1/accounts?q=${code.slice(-6).toLowerCase()}`)).items.map((x) => x.id),
        [account.id],
      );
      const wild = json<Page>(await as.rep('GET', `/api/v1/accounts?q=${encodeURIComponent('%')}`));
      assert.equal(wild.total, 0, 'LIKE wildcards are literal');
      // A WeChat id remembered from a chat finds the company too.
      assert.equal(
        (await as.rep('POST', '/api/v1/contacts', { accountId: account.id, name: '钱经理', wechat: 'QianYH_1988' }))
          .statusCode,
        201,
      );
      assert.deepEqual(
        json<Page>(await as.rep('GET', '/api/v1/accounts?q=qianyh')).items.map((x) => x.id),
        [account.id],
      );
    });

    it('shows each role exactly the accounts docs/organisation.md allows', async () => {
      const ids = async (call: Call) =>
        json<Page>(await call('GET', '/api/v1/accounts?limit=500')).items.map((a) => a.id);
      const rep = await ids(as.rep);
      assert.ok(
        rep.includes(fixture.accounts.repAccount) && rep.includes(fixture.accounts.poolAccount),
        'own + Shanghai pool (a unit above)',
      );
      assert.ok(!rep.includes(fixture.accounts.rep2Account));
      assert.equal((await as.rep('GET', `/api/v1/accounts/${fixture.accounts.rep2Account}`)).statusCode, 404);
      const rep2 = await ids(as.rep2);
      assert.ok(!rep2.includes(fixture.accounts.poolAccount), "not another branch's pool");
      const manager = await ids(as.manager);
      assert.ok(
        manager.includes(fixture.accounts.repAccount) &&
          manager.includes(fixture.accounts.poolAccount) &&
          !manager.includes(fixture.accounts.rep2Account),
      );
      assert.deepEqual(await ids(as.presales), [], 'presales: no team yet');
      // On an opportunity team, presales sees that account (and may edit it).
      const now = Date.now();
      const opp = await testApp.db.kysely
        .insertInto('opportunities')
        .values({
          workspace_id: fixture.workspaceId,
          account_id: fixture.accounts.rep2Account,
          name: 'MES',
          owner_id: fixture.users.rep2.id,
          org_unit_id: fixture.units.sales3,
          amount: 100,
          status: 'open',
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await testApp.db.kysely
        .insertInto('opportunity_team')
        .values({
          workspace_id: fixture.workspaceId,
          opportunity_id: opp.id,
          user_id: fixture.users.presales.id,
          team_role: 'presales',
          created_at: now,
        })
        .execute();
      assert.deepEqual(await ids(as.presales), [fixture.accounts.rep2Account]);
      assert.equal(
        json<AccountDetail>(await as.presales('GET', `/api/v1/accounts/${fixture.accounts.rep2Account}`)).permissions
          .edit,
        true,
      );
      const exec = await ids(as.executive);
      assert.ok(exec.includes(fixture.accounts.rep2Account) && exec.includes(fixture.accounts.repAccount));
      assert.equal(
        json<AccountDetail>(await as.executive('GET', `/api/v1/accounts/${fixture.accounts.repAccount}`)).permissions
          .edit,
        false,
      );
    });

    it('filters by owner, unit, status, pool and overdue follow-up, sorts and paginates', async () => {
      const all = json<Page>(await as.admin('GET', '/api/v1/accounts?limit=500&sort=name'));
      // Pinyin order, not code points (docs/DESIGN.md § Sorting names).
      assert.deepEqual(
        all.items.map((a) => a.name),
        [...all.items.map((a) => a.name)].sort(new Intl.Collator('zh').compare),
      );
      const p1 = json<Page>(await as.admin('GET', '/api/v1/accounts?limit=2&offset=0&sort=name'));
      const p2 = json<Page>(await as.admin('GET', '/api/v1/accounts?limit=2&offset=2&sort=name'));
      assert.deepEqual(
        [...p1.items, ...p2.items].map((a) => a.id),
        all.items.slice(0, 4).map((a) => a.id),
      );
      assert.ok(
        json<Page>(await as.admin(`GET`, `/api/v1/accounts?ownerId=${fixture.users.rep2.id}`)).items.every(
          (a) => a.ownerId === fixture.users.rep2.id,
        ),
      );
      const guangzhou = json<Page>(
        await as.admin('GET', `/api/v1/accounts?orgUnitId=${fixture.units.guangzhou}&limit=500`),
      ).items.map((a) => a.id);
      assert.ok(guangzhou.includes(fixture.accounts.rep2Account) && !guangzhou.includes(fixture.accounts.repAccount));
      assert.deepEqual(
        json<Page>(await as.admin('GET', '/api/v1/accounts?inPool=true')).items.map((a) => a.id),
        [fixture.accounts.poolAccount],
      );
      // Overdue: a C account whose last follow-up is 31 days old, and one followed up yesterday.
      const DAY = 86_400_000;
      await testApp.db.kysely
        .updateTable('accounts')
        .set({ last_follow_up_at: Date.now() - 31 * DAY })
        .where('id', '=', fixture.accounts.repAccount)
        .execute();
      await testApp.db.kysely
        .updateTable('accounts')
        .set({ last_follow_up_at: Date.now() - DAY })
        .where('id', '=', fixture.accounts.rep2Account)
        .execute();
      const overdue = json<Page>(await as.admin('GET', '/api/v1/accounts?overdue=true&limit=500')).items;
      assert.ok(overdue.some((a) => a.id === fixture.accounts.repAccount && a.followUpOverdue));
      assert.ok(!overdue.some((a) => a.id === fixture.accounts.rep2Account));
      assert.ok(!overdue.some((a) => a.inPool), "pool accounts are nobody's to follow up");
      const bad = await as.admin('GET', '/api/v1/accounts?tier=D&sort=secret');
      assert.deepEqual(
        json<Problem>(bad)
          .errors!.map((e) => e.field)
          .sort(),
        ['query.sort', 'query.tier'],
      );
    });

    it('filters by city however it is written: 苏州 and 苏州市 are one city', async () => {
      const make = async (name: string, city: string) =>
        json<Account>(await as.rep('POST', '/api/v1/accounts', { name, province: '江苏省', city })).id;
      const short = await make('苏州工业园区晶澳光电有限公司', '苏州');
      const full = await make('昆山富士康精密电子有限公司', '苏州市');
      const other = await make('杭州海康威视数字技术有限公司', '杭州市');
      for (const city of ['苏州', '苏州市', ' 苏州市 ']) {
        const ids = json<Page>(await as.admin('GET', `/api/v1/accounts?city=${encodeURIComponent(city)}&limit=500`))
          .items.map((a) => a.id)
          .sort((x, y) => x - y);
        assert.deepEqual(
          ids,
          [short, full].sort((x, y) => x - y),
          `city=${city}`,
        );
      }
      assert.deepEqual(
        json<Page>(await as.admin('GET', `/api/v1/accounts?city=${encodeURIComponent('杭州')}&limit=500`)).items.map(
          (a) => a.id,
        ),
        [other],
      );
      assert.equal(
        json<Page>(await as.admin('GET', `/api/v1/accounts?city=${encodeURIComponent('苏')}&limit=500`)).total,
        0,
        'one character is not a spelling of 苏州',
      );
    });

    it('edits with versions; reassigning needs a manager and a reason, and is in the history', async () => {
      const account = json<Account>(await as.rep('GET', `/api/v1/accounts/${fixture.accounts.repAccount}`));
      const ok = await as.rep('PATCH', `/api/v1/accounts/${account.id}`, {
        version: account.version,
        status: 'customer',
        website: 'https://example.cn',
      });
      assert.equal(ok.statusCode, 200, ok.body);
      const stale = await as.rep('PATCH', `/api/v1/accounts/${account.id}`, {
        version: account.version,
        status: 'lost',
      });
      assert.equal(stale.statusCode, 409);
      const cur = json<Account>(ok);
      assert.equal(cur.status, 'customer');
      assert.equal(
        (
          await as.rep('PATCH', `/api/v1/accounts/${account.id}`, {
            version: cur.version,
            ownerId: fixture.users.manager.id,
            ownerReason: 'mine now',
          })
        ).statusCode,
        403,
      );
      const noReason = await as.manager('PATCH', `/api/v1/accounts/${account.id}`, {
        version: cur.version,
        ownerId: fixture.users.presales.id,
      });
      assert.equal(json<Problem>(noReason).errors![0]!.field, 'ownerReason');
      const outside = await as.manager('PATCH', `/api/v1/accounts/${account.id}`, {
        version: cur.version,
        ownerId: fixture.users.rep2.id,
        ownerReason: 'x',
      });
      assert.equal(outside.statusCode, 400, "rep2 is outside the manager's subtree");
      const moved = await as.manager('PATCH', `/api/v1/accounts/${account.id}`, {
        version: cur.version,
        ownerId: fixture.users.presales.id,
        ownerReason: '客户要求更换对接人',
      });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal(json<Account>(moved).orgUnitId, fixture.units.shanghai, "follows the new owner's unit");
      const historyEntry = json<{
        items: { field: string; oldValue: string; newValue: string; reason: string; actorName: string }[];
      }>(await as.manager('GET', `/api/v1/accounts/${account.id}/history`)).items[0]!;
      assert.deepEqual(
        [historyEntry.field, historyEntry.oldValue, historyEntry.newValue, historyEntry.reason, historyEntry.actorName],
        ['owner', String(fixture.users.rep.id), String(fixture.users.presales.id), '客户要求更换对接人', 'manager acc'],
      );
      assert.equal(
        (await as.rep('GET', `/api/v1/accounts/${account.id}`)).statusCode,
        404,
        'the old owner no longer sees it',
      );
      const back = json<Account>(await as.manager('GET', `/api/v1/accounts/${account.id}`));
      await as.manager('PATCH', `/api/v1/accounts/${account.id}`, {
        version: back.version,
        ownerId: fixture.users.rep.id,
        ownerReason: 'back',
      });
    });

    it('never deletes: managers archive and restore, reps cannot', async () => {
      const account = json<Account>(await as.rep('POST', '/api/v1/accounts', { name: '南京江宁中科电子有限公司' }));
      assert.equal(
        (await as.rep('POST', `/api/v1/accounts/${account.id}/archive`, { version: account.version })).statusCode,
        403,
      );
      assert.equal((await as.rep('DELETE', `/api/v1/accounts/${account.id}`)).statusCode, 404);
      const archived = json<Account>(
        await as.manager('POST', `/api/v1/accounts/${account.id}/archive`, { version: account.version }),
      );
      assert.equal(archived.archived, true);
      assert.ok(
        !json<Page>(await as.manager('GET', '/api/v1/accounts?limit=500')).items.some((x) => x.id === account.id),
      );
      assert.ok(
        json<Page>(await as.manager('GET', '/api/v1/accounts?archived=true')).items.some((x) => x.id === account.id),
      );
      assert.equal(
        json<Account>(await as.manager('POST', `/api/v1/accounts/${account.id}/restore`, { version: archived.version }))
          .archived,
        false,
      );
    });

    it('keeps a key-account profile only for A-tier and named accounts', async () => {
      const refused = await as.rep('PUT', `/api/v1/accounts/${fixture.accounts.repAccount}/profile`, {
        version: 0,
        businessOverview: '概况',
      });
      assert.equal(refused.statusCode, 409);
      assert.equal(json<Problem>(refused).code, 'not_key_account');
      await testApp.db.kysely
        .updateTable('accounts')
        .set({ tier: 'A' })
        .where('id', '=', fixture.accounts.repAccount)
        .execute();
      const created = await as.rep('PUT', `/api/v1/accounts/${fixture.accounts.repAccount}/profile`, {
        version: 0,
        businessOverview: '华南最大的电子制造企业',
        planReviewDate: '2026-12-31',
      });
      assert.equal(created.statusCode, 200, created.body);
      const profile = json<{ version: number; businessOverview: string; planReviewDate: string }>(created);
      assert.equal(profile.version, 1);
      const stale = await as.rep('PUT', `/api/v1/accounts/${fixture.accounts.repAccount}/profile`, {
        version: 0,
        budgetCycle: 'x',
      });
      assert.equal(stale.statusCode, 409);
      const badDate = await as.rep('PUT', `/api/v1/accounts/${fixture.accounts.repAccount}/profile`, {
        version: 1,
        planReviewDate: '31/12/2026',
      });
      assert.equal(json<Problem>(badDate).errors![0]!.field, 'planReviewDate');
      const updated = json<{ version: number; businessOverview: string; budgetCycle: string }>(
        await as.rep('PUT', `/api/v1/accounts/${fixture.accounts.repAccount}/profile`, {
          version: 1,
          budgetCycle: '每年十月',
        }),
      );
      assert.deepEqual(
        [updated.version, updated.businessOverview, updated.budgetCycle],
        [2, '华南最大的电子制造企业', '每年十月'],
      );
    });
  });
}
