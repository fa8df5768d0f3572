import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedWorkspace,
  sessionCookie,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
import { insertUser } from '../../src/modules/users/repository.ts';
import { companyNameKey } from '../../src/domain/company-name.ts';
import { dateIn, monthEnd } from '../../src/domain/calendar.ts';

const DAY = 86_400_000;
type Row = { id: number; ownerId: number | null; orgUnitId: number };
type CardPage = { items: Row[]; total: number };
interface Desk {
  filter: { ownerId: number | null; closeFrom: string; closeTo: string; minProbability: number };
  attention: CardPage;
  overdue: CardPage;
  closing: CardPage;
  anyAccounts: boolean;
  anyOpportunities: boolean;
}

/**
 * GET /desk (docs/DESIGN.md § The desk): each card is exactly what its list endpoint answers the same
 * caller for the card's filter — a rep's own records, a manager's team's, an admin's workspace — with
 * the same limit; a rep never sees a colleague's or another unit's record through it; the empty-state
 * facts are the lists' "is there anything at all"; it needs a session and the opportunity reads.
 */
for (const engine of testEngines()) {
  describe(`The desk in one request [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let empty: Fixture;
    const cookies: Record<string, string> = {};
    /** A second rep in rep's own unit: rep's unit sees their records, rep's desk must not. */
    let colleague = 0;
    const now = Date.now();

    before(async () => {
      // A fixed clock: the desk and the lists judge staleness at the same instant.
      testApp = await createTestApp(engine, {}, { clock: () => now });
      fixture = await seedWorkspace(testApp, 'desk');
      empty = await seedWorkspace(testApp, 'desk-empty');
      const kysely = testApp.db.kysely;
      const { workspaceId, units, users } = fixture;
      colleague = await insertUser(kysely, {
        workspaceId,
        orgUnitId: units.sales1,
        email: 'colleague@desk.test',
        name: 'colleague',
        role: 'rep',
        title: null,
        phone: null,
        passwordHash: 'x',
        locale: 'zh-CN',
        canExport: false,
        now,
      });
      const stage = await kysely
        .selectFrom('process_stages')
        .select(['id', 'process_id'])
        .where('workspace_id', '=', workspaceId)
        .where('expected_days', '>', 0)
        .where('probability', '>=', 11)
        .where('is_won', '=', 0)
        .orderBy('expected_days')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const today = dateIn(now, 'Asia/Shanghai');
      const owners = [
        { id: users.rep.id, unit: units.sales1, deals: 7, overdue: 6 },
        { id: colleague, unit: units.sales1, deals: 3, overdue: 2 },
        { id: users.rep2.id, unit: units.sales3, deals: 4, overdue: 3 },
      ];
      for (const owner of owners) {
        for (let index = 0; index < owner.overdue + 1; index++) {
          const name = `客户${owner.id}-${index}`;
          const account = await kysely
            .insertInto('accounts')
            .values({
              workspace_id: workspaceId,
              name,
              name_key: companyNameKey(name),
              owner_id: owner.id,
              org_unit_id: owner.unit,
              // All but the last never followed up since long ago: overdue for any tier.
              created_at: index < owner.overdue ? now - 400 * DAY - index * 1000 : now,
              updated_at: now,
              version: 1,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          if (index >= owner.deals) continue;
          // Stalled without a plan; the even ones expected to close today (this month).
          await kysely
            .insertInto('opportunities')
            .values({
              workspace_id: workspaceId,
              account_id: account.id,
              name: `商机${owner.id}-${index}`,
              owner_id: owner.id,
              org_unit_id: owner.unit,
              amount: 1000 * (index + 1),
              status: 'open',
              process_id: stage.process_id,
              stage_id: stage.id,
              stage_entered_at: now - 300 * DAY + index * 1000,
              expected_close_date: index % 2 === 0 ? today : null,
              created_at: now,
              updated_at: now,
              version: 1,
            })
            .execute();
        }
      }
      for (const role of ['rep', 'rep2', 'manager', 'presales', 'admin', 'executive', 'auditor'] as const)
        cookies[role] = await sessionCookie(testApp, workspaceId, users[role].id);
      cookies.colleague = await sessionCookie(testApp, workspaceId, colleague);
      cookies.emptyRep = await sessionCookie(testApp, empty.workspaceId, empty.users.rep.id);
    });
    after(() => testApp.close());

    /** What the desk's cards would be, asked of the list endpoints one by one as the web app did. */
    async function fromLists(cookie: string, desk: Desk, limit: number) {
      const call = client(testApp, cookie);
      const get = async (url: string) => {
        const res = await call('GET', url);
        assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
        return json<CardPage & Record<string, unknown>>(res);
      };
      const { ownerId, closeFrom, closeTo, minProbability } = desk.filter;
      const mine = ownerId === null ? '' : `ownerId=${ownerId}&`;
      return {
        filter: desk.filter,
        attention: await get(`/api/v1/opportunities/attention?${mine}limit=${limit}&offset=0`),
        overdue: await get(`/api/v1/accounts?${mine}overdue=true&archived=false&sort=tier&limit=${limit}&offset=0`),
        closing: await get(
          `/api/v1/opportunities?${mine}status=open&closeFrom=${closeFrom}&closeTo=${closeTo}&minProbability=${minProbability}&sort=expectedCloseDate&limit=${limit}&offset=0`,
        ),
        anyAccounts: (await get('/api/v1/accounts?limit=1&offset=0')).total > 0,
        anyOpportunities: (await get('/api/v1/opportunities?limit=1&offset=0')).total > 0,
      };
    }

    const deskOf = async (who: string, query = '') => {
      const res = await client(testApp, cookies[who])('GET', `/api/v1/desk${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return json<Desk>(res);
    };

    for (const who of ['rep', 'rep2', 'colleague', 'manager', 'presales', 'admin', 'executive', 'emptyRep'])
      it(`${who}: every card is what its list answers for the same filter and limit`, async () => {
        for (const limit of [5, 2]) {
          const desk = await deskOf(who, limit === 5 ? '' : `?limit=${limit}`);
          assert.deepEqual(desk, await fromLists(cookies[who]!, desk, limit));
          for (const card of [desk.attention, desk.overdue, desk.closing])
            assert.ok(card.items.length <= limit, 'at most limit rows a card');
        }
      });

    it("a rep's desk holds their own records only: not a colleague's in their unit, nothing of another unit", async () => {
      const { users, units } = fixture;
      const today = dateIn(now, 'Asia/Shanghai');
      const desk = await deskOf('rep', '?limit=50');
      assert.deepEqual(desk.filter, {
        ownerId: users.rep.id,
        closeFrom: today,
        closeTo: monthEnd(today),
        minProbability: 11,
      });
      // The rep's 7 stalled deals (4 closing today) and 6 overdue accounts, all of them, none else.
      assert.equal(desk.attention.total, 7);
      assert.equal(desk.closing.total, 4);
      assert.equal(desk.overdue.total, 6);
      for (const card of [desk.attention, desk.overdue, desk.closing])
        for (const row of card.items) {
          assert.equal(row.ownerId, users.rep.id);
          assert.equal(row.orgUnitId, units.sales1);
        }
      // The default limit is the desk's five rows, the total still all of them.
      const shown = await deskOf('rep');
      assert.equal(shown.attention.items.length, 5);
      assert.equal(shown.attention.total, 7);
      // The other unit's rep sees only theirs; the Shanghai manager sees the unit's two reps, not the south.
      const rep2 = await deskOf('rep2', '?limit=50');
      assert.equal(rep2.attention.total, 4);
      assert.ok(rep2.attention.items.every((row) => row.ownerId === users.rep2.id));
      const manager = await deskOf('manager', '?limit=50');
      assert.equal(manager.filter.ownerId, null);
      assert.equal(manager.attention.total, 10);
      assert.equal(manager.overdue.total, 8);
      for (const card of [manager.attention, manager.overdue, manager.closing])
        assert.ok(card.items.every((row) => row.orgUnitId === units.sales1));
    });

    it('the empty-state facts: a workspace with accounts but no opportunities', async () => {
      const desk = await deskOf('emptyRep');
      assert.equal(desk.attention.total, 0);
      assert.equal(desk.closing.total, 0);
      assert.equal(desk.anyOpportunities, false);
      assert.equal(desk.anyAccounts, true);
    });

    it('needs a session (401) and the opportunity reads (403 for an auditor); the limit is checked as a list checks it', async () => {
      assert.equal((await client(testApp)('GET', '/api/v1/desk')).statusCode, 401);
      assert.equal((await client(testApp, cookies.auditor)('GET', '/api/v1/desk')).statusCode, 403);
      for (const bad of ['0', '501', 'x']) {
        const res = await client(testApp, cookies.rep)('GET', `/api/v1/desk?limit=${bad}`);
        assert.equal(res.statusCode, 400, bad);
        assert.equal(json<{ errors: { field: string }[] }>(res).errors[0]?.field, 'query.limit');
      }
    });
  });
}
