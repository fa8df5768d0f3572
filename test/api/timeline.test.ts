import { describe, it, before, after } from 'node:test';
import { DEFAULT_TIME_ZONE, dateIn } from '../../src/domain/calendar.ts';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { makeCreditCode } from '../../src/domain/credit-code.ts';
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
import type { TimelineEvent, TimelinePage } from '../../src/contracts/timeline.ts';

type Stage = { id: number; position: number; evidence: { key: string; requires: string }[] };
type Opp = { id: number; version: number };

for (const engine of testEngines()) {
  describe(`activity timeline [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture & Extras;
    let as: Record<'manager' | 'rep' | 'rep2' | 'otherAdmin', Call>;
    let account: number;
    let dealA: number;
    let dealB: number;

    before(async () => {
      testApp = await createTestApp(engine);
      const base = await seedWorkspace(testApp, 'tl');
      fixture = { ...base, ...(await seedExtras(testApp, base)) };
      const other = await seedWorkspace(testApp, 'tl-other');
      const clientFor = async (userId: number, ws = fixture.workspaceId) =>
        client(testApp, await sessionCookie(testApp, ws, userId));
      as = {
        manager: await clientFor(fixture.users.manager.id),
        rep: await clientFor(fixture.users.rep.id),
        rep2: await clientFor(fixture.users.rep2.id),
        otherAdmin: await clientFor(other.users.admin.id, other.workspaceId),
      };

      // A small story told through the API: account, contact, two deals, a move with evidence,
      // a manager's review, a deal won, a deal with rep2 on its team.
      const created = await as.rep('POST', '/api/v1/accounts', {
        name: '苏州瑞丰精工机械有限公司',
        creditCode: makeCreditCode('91320500770000001'),
        industry: 'manufacturing',
        province: '江苏省',
        city: '苏州市',
      });
      assert.equal(created.statusCode, 201, created.body);
      account = json<{ id: number }>(created).id;
      assert.equal(
        (
          await as.rep('POST', '/api/v1/contacts', {
            accountId: account,
            name: '周明',
            title: '设备部经理',
            department: '设备部',
          })
        ).statusCode,
        201,
      );

      const processes = json<{ items: { id: number; templateKey: string }[] }>(
        await as.rep('GET', '/api/v1/sales-processes'),
      ).items;
      const small = json<{ id: number; stages: Stage[] }>(
        await as.rep('GET', `/api/v1/sales-processes/${processes.find((p) => p.templateKey === 'small')!.id}`),
      );
      const newDeal = async (name: string, amount: number) => {
        const res = await as.rep('POST', '/api/v1/opportunities', {
          accountId: account,
          name,
          processId: small.id,
          amount,
          expectedCloseDate: '2027-03-31',
        });
        assert.equal(res.statusCode, 201, res.body);
        return json<Opp>(res);
      };
      const upload = async () =>
        json<{ id: number }>(
          await as.rep('POST', '/api/v1/attachments?fileName=proof.pdf', Buffer.from('%PDF-1.4 proof'), {
            'content-type': 'application/pdf',
          }),
        ).id;
      const evidence = async (stage: Stage) =>
        Promise.all(
          stage.evidence.map(async (evidenceItem) => ({
            stageId: stage.id,
            key: evidenceItem.key,
            note: evidenceItem.requires === 'note' ? '客户确认' : null,
            attachmentId: evidenceItem.requires === 'attachment' ? await upload() : null,
          })),
        );
      const move = async (opportunity: Opp, to: Stage, from: Stage) => {
        const res = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
          version: opportunity.version,
          stageId: to.id,
          evidence: await evidence(from),
        });
        assert.equal(res.statusCode, 200, res.body);
        return json<Opp>(res);
      };

      let upgradeDeal = await newDeal('二期产线改造', 300_000_00);
      dealA = upgradeDeal.id;
      upgradeDeal = await move(upgradeDeal, small.stages[1]!, small.stages[0]!);
      assert.equal(
        (
          await as.manager('POST', `/api/v1/opportunities/${upgradeDeal.id}/reviews`, {
            completedStep: '方案已提交',
            evidence: '技术评审纪要',
            nextAction: '安排高层拜访',
          })
        ).statusCode,
        201,
      );
      upgradeDeal = await move(upgradeDeal, small.stages[2]!, small.stages[1]!);
      const won = await as.rep('POST', `/api/v1/opportunities/${upgradeDeal.id}/close`, {
        version: upgradeDeal.version,
        outcome: 'won',
        contractAmount: 280_000_00,
        evidence: await evidence(small.stages[2]!),
      });
      assert.equal(won.statusCode, 200, won.body);

      const partsDeal = await newDeal('备件年度框架', 40_000_00);
      dealB = partsDeal.id;
      const team = await as.rep('POST', `/api/v1/opportunities/${partsDeal.id}/team`, {
        userId: fixture.users.rep2.id,
        teamRole: 'presales',
      });
      assert.equal(team.statusCode, 200, team.body);
    });
    after(() => testApp.close());

    const get = async (call: Call, url: string) => {
      const res = await call('GET', url);
      assert.equal(res.statusCode, 200, res.body);
      return json<TimelinePage>(res);
    };
    const kinds = (p: TimelinePage) => p.items.map((e) => e.kind);

    it('tells the account story newest first: created, contact, deals, moves with evidence, review, won, team', async () => {
      const page = await get(as.rep, `/api/v1/accounts/${account}/timeline?limit=200`);
      assert.equal(page.total, page.items.length);
      const count = (k: string) => kinds(page).filter((x) => x === k).length;
      assert.equal(count('account_created'), 1);
      assert.equal(count('contact_added'), 1);
      assert.equal(count('opportunity_created'), 2);
      assert.equal(count('stage_moved'), 3, 'two moves and the won stage');
      assert.equal(count('review'), 1);
      assert.equal(count('opportunity_closed'), 1);
      // Created deals do not repeat as owner, amount and close-date changes; the team member and
      // the contract amount and the close date set when won do show.
      assert.deepEqual(
        page.items.filter((e) => e.kind === 'opportunity_changed').map((e) => [e.field, e.from, e.to]),
        [
          ['team', null, 'rep2 tl'],
          ['amount', '30000000', '28000000'],
          // Won today in the workspace's zone (Shanghai), not UTC's: they differ after 16:00 UTC.
          ['close_date', '2027-03-31', dateIn(Date.now(), DEFAULT_TIME_ZONE)],
        ],
      );
      assert.equal(count('account_changed'), 0, 'the owner set at creation is the creation');

      const createdAccount = page.items.find((e) => e.kind === 'account_created')!;
      assert.equal(createdAccount.subject, '苏州瑞丰精工机械有限公司');
      assert.ok(createdAccount.actorName);
      const contact = page.items.find((e) => e.kind === 'contact_added')!;
      assert.equal(contact.subject, '周明');
      assert.equal(contact.detail, '设备部经理 · 设备部');
      const firstMove = page.items.filter((e) => e.kind === 'stage_moved' && e.opportunityId === dealA).at(-1)!;
      assert.equal(firstMove.from, '意向');
      assert.equal(firstMove.subject, '方案');
      assert.equal(firstMove.direction, 'forward');
      assert.equal(firstMove.probability, 35);
      assert.ok((firstMove.evidenceCount ?? 0) > 0, 'the evidence given to leave 意向');
      assert.equal(firstMove.opportunityName, '二期产线改造');
      const review = page.items.find((e) => e.kind === 'review')!;
      assert.deepEqual([review.subject, review.from, review.to], ['方案已提交', '技术评审纪要', '安排高层拜访']);
      const closed = page.items.find((e) => e.kind === 'opportunity_closed')!;
      assert.deepEqual([closed.to, closed.amount, closed.opportunityId], ['won', 280_000_00, dealA]);
      const team = page.items.find((e) => e.kind === 'opportunity_changed')!;
      assert.equal(team.to, 'rep2 tl', 'user ids read as names');

      // Newest first, ties in a fixed order.
      for (let i = 1; i < page.items.length; i++)
        assert.ok(page.items[i - 1]!.at >= page.items[i]!.at, `${page.items[i - 1]!.id} before ${page.items[i]!.id}`);
      assert.equal(new Set(page.items.map((e) => e.id)).size, page.items.length, 'ids are unique');
    });

    it('pages through the same events the whole list holds, and filters by group', async () => {
      const all = await get(as.rep, `/api/v1/accounts/${account}/timeline?limit=200`);
      const pages: TimelineEvent[] = [];
      for (let offset = 0; offset < all.total; offset += 3) {
        const page = await get(as.rep, `/api/v1/accounts/${account}/timeline?limit=3&offset=${offset}`);
        assert.equal(page.total, all.total);
        pages.push(...page.items);
      }
      assert.deepEqual(
        pages.map((e) => e.id),
        all.items.map((e) => e.id),
      );
      // A page past the end has no row to carry the total: it is still the whole list's.
      const past = await get(as.rep, `/api/v1/accounts/${account}/timeline?limit=3&offset=${all.total + 5}`);
      assert.deepEqual(past, { total: all.total, items: [] });
      // A deal's timeline asked only for the account's own events has none.
      const none = await get(as.rep, `/api/v1/opportunities/${dealA}/timeline?groups=account`);
      assert.deepEqual(none, { total: 0, items: [] });

      const stages = await get(as.rep, `/api/v1/accounts/${account}/timeline?groups=stages,reviews`);
      assert.deepEqual([...new Set(kinds(stages))].sort(), ['review', 'stage_moved']);
      assert.equal(stages.total, 4);
    });

    it('shows one deal on the opportunity page, and the files given as evidence', async () => {
      const page = await get(as.rep, `/api/v1/opportunities/${dealA}/timeline?limit=200`);
      assert.ok(
        page.items.every((e) => e.opportunityId === dealA),
        'only this deal',
      );
      assert.ok(!kinds(page).includes('account_created') && !kinds(page).includes('contact_added'));
      assert.ok(kinds(page).includes('file_added'), 'the uploaded evidence');
      assert.equal(page.items.at(-1)!.kind, 'opportunity_created');
      assert.equal(page.items.at(-1)!.amount, 300_000_00);
    });

    it('shows only the deals the caller may see (docs/organisation.md)', async () => {
      // rep2 sees the account through the team of deal B, but not deal A.
      const page = await get(as.rep2, `/api/v1/accounts/${account}/timeline?limit=200`);
      const deals = new Set(page.items.map((e) => e.opportunityId).filter((x) => x !== null));
      assert.deepEqual([...deals], [dealB]);
      assert.equal((await as.rep2('GET', `/api/v1/opportunities/${dealA}/timeline`)).statusCode, 404);
      const manager = await get(as.manager, `/api/v1/accounts/${account}/timeline?limit=200`);
      assert.ok(manager.total > page.total);
    });

    it('tells a close and a reopening by who did them, and every close when a deal is closed twice', async () => {
      const currentVersion = async () => json<Opp>(await as.rep('GET', `/api/v1/opportunities/${dealB}`)).version;
      const lost = await as.rep('POST', `/api/v1/opportunities/${dealB}/close`, {
        version: await currentVersion(),
        outcome: 'lost',
        reason: 'price',
        competitor: '西门子',
      });
      assert.equal(lost.statusCode, 200, lost.body);
      assert.equal(
        (
          await as.manager('POST', `/api/v1/opportunities/${dealB}/reopen`, {
            version: await currentVersion(),
            reason: '客户重新启动采购',
          })
        ).statusCode,
        200,
      );
      const again = await as.rep('POST', `/api/v1/opportunities/${dealB}/close`, {
        version: await currentVersion(),
        outcome: 'lost',
        reason: 'no_decision',
        competitor: 'none',
      });
      assert.equal(again.statusCode, 200, again.body);

      const page = await get(as.manager, `/api/v1/opportunities/${dealB}/timeline?limit=200`);
      const closes = page.items.filter((e) => e.kind === 'opportunity_closed');
      assert.deepEqual(
        closes.map((e) => [e.to, e.actorName, e.reason]),
        [
          ['lost', 'rep tl', 'no_decision'],
          ['lost', 'rep tl', 'price · competitor: 西门子'],
        ],
      );
      assert.equal(closes[0]!.detail, 'none');
      const reopen = page.items.find((e) => e.kind === 'opportunity_changed' && e.field === 'status');
      assert.deepEqual(reopen && [reopen.from, reopen.to, reopen.actorName, reopen.reason], [
        'lost',
        'open',
        'manager tl',
        '客户重新启动采购',
      ]);
      assert.equal(page.items.filter((e) => e.kind === 'stage_moved').length, 0, 'a reopening is not a stage move');
    });

    it('refuses bad parameters naming them, and hides other workspaces', async () => {
      const bad = await as.rep('GET', `/api/v1/accounts/${account}/timeline?groups=stages,gossip`);
      assert.equal(bad.statusCode, 400);
      const problem = json<{ errors: { field: string; message: string }[] }>(bad);
      assert.equal(problem.errors[0]!.field, 'query.groups');
      assert.match(problem.errors[0]!.message, /gossip/);
      assert.equal((await as.rep('GET', `/api/v1/accounts/${account}/timeline?limit=0`)).statusCode, 400);
      assert.equal((await as.otherAdmin('GET', `/api/v1/accounts/${account}/timeline`)).statusCode, 404);
      assert.equal((await as.otherAdmin('GET', `/api/v1/opportunities/${dealA}/timeline`)).statusCode, 404);
    });
  });
}
