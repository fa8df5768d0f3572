import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedExtras,
  seedWorkspace,
  sessionCookie,
  type Call,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
import { containsInsensitive } from '../../src/db/dialect.ts';
import { substringScan } from '../helpers/substring-scan.ts';
import { candidateIds, prepareMatch } from '../../src/modules/search/shared.ts';
import type { SearchResponse } from '../../src/contracts/search.ts';
import { companyNameKey } from '../../src/domain/company-name.ts';
import { ROLES } from '../../src/domain/roles.ts';
import { backfillStatements, SEARCHED } from '../../src/db/migrations/0018_search_index.ts';

type Page = { items: { id: number }[]; total: number };
const ids = (part: { items: { id: number }[] } | null | undefined) =>
  (part?.items ?? []).map((x) => x.id).sort((a, b) => a - b);

/** mulberry32: the same random names on every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let mixed = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

for (const engine of testEngines()) {
  describe(`global search and the search index [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let other: Fixture;
    const as: Partial<Record<string, Call>> = {};
    const search = async (who: string, query: string, limit = 20) => {
      const res = await as[who]!('GET', `/api/v1/search?q=${encodeURIComponent(query)}&limit=${limit}`);
      assert.equal(res.statusCode, 200, res.body);
      return json<SearchResponse>(res);
    };
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'sea');
      other = await seedWorkspace(testApp, 'oth');
      await seedExtras(testApp, fixture);
      for (const role of ROLES)
        as[role] = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[role].id));
      as.rep2 = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep2.id));
      as.otherAdmin = client(testApp, await sessionCookie(testApp, other.workspaceId, other.users.admin.id));
      as.otherManager = client(testApp, await sessionCookie(testApp, other.workspaceId, other.users.manager.id));
    });
    after(() => testApp.close());

    it("finds each group in the caller's reach only — the same records as each list, by role", async () => {
      for (const query of ['有限公司', '华', '任正', '电气']) {
        for (const who of [...ROLES, 'rep2']) {
          const found = await search(who, query);
          const list = async (path: string) => {
            const res = await as[who]!('GET', `/api/v1/${path}?q=${encodeURIComponent(query)}&limit=500`);
            return res.statusCode === 200 ? json<Page>(res) : null;
          };
          const [accounts, contacts, opps] = await Promise.all([
            list('accounts'),
            list('contacts'),
            list('opportunities'),
          ]);
          // A role that cannot open the list gets no group at all.
          assert.equal(found.accounts === null, accounts === null, `${who} accounts`);
          assert.equal(found.opportunities === null, opps === null, `${who} opportunities`);
          if (accounts) {
            // The list also finds an account by its contacts' text; search lists those contacts in their own group.
            const own = (
              await testApp.db.kysely
                .selectFrom('accounts')
                .select('id')
                .where('id', 'in', ids(accounts).length ? ids(accounts) : [0])
                .where((eb) => containsInsensitive(engine, eb.ref('name'), query))
                .execute()
            )
              .map((r) => r.id)
              .sort((a, b) => a - b);
            assert.deepEqual(ids(found.accounts), own, `${who} ${query}`);
            assert.equal(found.accounts!.total, own.length);
          }
          if (contacts)
            assert.deepEqual(
              ids(found.contacts),
              ids(contacts).filter((id) => ids(found.contacts).includes(id)),
            );
          if (opps) {
            const byName = (
              await testApp.db.kysely
                .selectFrom('opportunities')
                .select('id')
                .where('id', 'in', ids(opps).length ? ids(opps) : [0])
                .where((eb) => containsInsensitive(engine, eb.ref('name'), query))
                .execute()
            )
              .map((r) => r.id)
              .sort((a, b) => a - b);
            assert.deepEqual(ids(found.opportunities), byName, `${who} ${query}`);
          }
        }
      }
      // Spot checks of the rules themselves (docs/organisation.md).
      assert.deepEqual(ids((await search('rep', '华为')).accounts), [fixture.accounts.repAccount]);
      assert.deepEqual(ids((await search('rep2', '华为')).accounts), []);
      assert.deepEqual(ids((await search('manager', '华为')).accounts), [fixture.accounts.repAccount]);
      assert.deepEqual(ids((await search('admin', '白云')).accounts), [fixture.accounts.rep2Account]);
      assert.deepEqual(
        ids((await search('manager', '白云')).accounts),
        [],
        "Guangzhou is outside the Shanghai manager's subtree",
      );
    });

    it("never finds another workspace's records, even with the same names", async () => {
      const mine = await search('admin', '深圳市华为');
      const theirs = await search('otherAdmin', '深圳市华为');
      assert.deepEqual(ids(mine.accounts), [fixture.accounts.repAccount]);
      assert.deepEqual(ids(theirs.accounts), [other.accounts.repAccount]);
      assert.deepEqual(ids((await search('otherAdmin', '任正')).contacts), [other.contacts.repContact]);
      assert.deepEqual(ids((await search('otherAdmin', 'rz')).contacts), [other.contacts.repContact]);
    });

    it('finds Chinese names by pinyin initials (张伟 by "zw"), upper or lower case, and keeps up with renames and deletes', async () => {
      const add = await as.rep!('POST', '/api/v1/contacts', {
        accountId: fixture.accounts.repAccount,
        name: '张伟',
        title: '信息中心主任',
        mobile: '13912345678',
      });
      assert.equal(add.statusCode, 201, add.body);
      const zhang = json<{ id: number; version: number }>(add);
      for (const query of ['zw', 'ZW', '张伟', '张', '伟', '1391234', '信息中心'])
        assert.ok(ids((await search('rep', query)).contacts).includes(zhang.id), query);
      assert.ok(
        ids((await search('rep', 'hw')).accounts).includes(fixture.accounts.repAccount),
        '深圳市华为 by its initials hw',
      );
      assert.ok(!ids((await search('rep', 'zx')).contacts).includes(zhang.id));
      // A one-letter text is not read as initials: it would match half the workspace.
      assert.ok(!ids((await search('rep', 'z')).contacts).includes(zhang.id));
      // Renamed: found by the new name and initials only.
      const renamed = await as.rep!('PATCH', `/api/v1/contacts/${zhang.id}`, { version: zhang.version, name: '李娜' });
      assert.equal(renamed.statusCode, 200, renamed.body);
      assert.ok(!ids((await search('rep', 'zw')).contacts).includes(zhang.id));
      assert.ok(!ids((await search('rep', '张伟')).contacts).includes(zhang.id));
      assert.ok(ids((await search('rep', 'ln')).contacts).includes(zhang.id));
      // Gone from the table, gone from the index.
      await testApp.db.kysely.deleteFrom('contacts').where('id', '=', zhang.id).execute();
      const left = await testApp.db.kysely
        .selectFrom('search_grams')
        .select('gram')
        .where('kind', 'in', ['c', 'cp'])
        .where('record_id', '=', zhang.id)
        .execute();
      assert.deepEqual(left, []);
    });

    it('groups are limited and counted', async () => {
      const kysely = testApp.db.kysely;
      const now = Date.now();
      await kysely
        .insertInto('accounts')
        .values(
          Array.from({ length: 12 }, (_, index) => ({
            workspace_id: fixture.workspaceId,
            name: `限数测试${index}号公司`,
            name_key: companyNameKey(`限数测试${index}号公司`),
            owner_id: fixture.users.rep.id,
            org_unit_id: fixture.units.sales1,
            created_at: now,
            updated_at: now,
            version: 1,
          })),
        )
        .execute();
      const results = await search('admin', '限数测试', 5);
      assert.equal(results.accounts!.items.length, 5);
      assert.equal(results.accounts!.total, 12);
      assert.equal(results.accounts!.capped, false);
      // Shorter names first, then by id: 限数测试0号公司 … 9 before 10, 11.
      assert.deepEqual(
        results.accounts!.items.map((a) => a.name),
        ['限数测试0号公司', '限数测试1号公司', '限数测试2号公司', '限数测试3号公司', '限数测试4号公司'],
      );
      const empty = await search('admin', '不存在的名字');
      assert.deepEqual([empty.accounts!.total, empty.contacts!.total, empty.opportunities!.total], [0, 0, 0]);
      const bad = await as.admin!('GET', '/api/v1/search?q=%20');
      assert.equal(bad.statusCode, 400);
    });

    it('the index gives exactly what the substring scan gives: random names, inserts, renames and deletes', async () => {
      const kysely = testApp.db.kysely;
      const random = rng(20261205);
      const alphabet = [
        '张',
        '伟',
        '王',
        '科',
        '技',
        '公',
        '司',
        '华',
        '为',
        '长',
        'a',
        'B',
        'c',
        'Z',
        'w',
        '1',
        '2',
        '%',
        '_',
        '\\',
        ' ',
        '-',
        'É',
        'é',
        '😀',
      ];
      const word = (min: number, max: number) =>
        Array.from(
          { length: min + Math.floor(random() * (max - min + 1)) },
          () => alphabet[Math.floor(random() * alphabet.length)],
        ).join('');
      const now = Date.now();
      const { workspaceId } = other;
      const unit = other.units.sales1;
      const owner = other.users.rep.id;
      const accountIds: number[] = [];
      for (let i = 0; i < 150; i++) {
        const name = `${word(1, 12)}#${i}`;
        accountIds.push(
          (
            await kysely
              .insertInto('accounts')
              .values({
                workspace_id: workspaceId,
                name,
                name_key: companyNameKey(name),
                credit_code: random() < 0.5 ? `${word(3, 6)}#${i}` : null,
                owner_id: owner,
                org_unit_id: unit,
                created_at: now,
                updated_at: now,
                version: 1,
              })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id,
        );
      }
      const process = await kysely
        .selectFrom('sales_processes')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow();
      for (let i = 0; i < 150; i++) {
        const accountId = accountIds[Math.floor(random() * accountIds.length)]!;
        await kysely
          .insertInto('contacts')
          .values({
            workspace_id: workspaceId,
            account_id: accountId,
            name: word(1, 6),
            title: random() < 0.5 ? word(1, 5) : null,
            mobile: random() < 0.5 ? word(2, 8) : null,
            email: random() < 0.3 ? `${word(1, 4)}@x.cn` : null,
            wechat: random() < 0.3 ? word(2, 6) : null,
            created_at: now,
            updated_at: now,
            version: 1,
          })
          .execute();
        await kysely
          .insertInto('opportunities')
          .values({
            workspace_id: workspaceId,
            account_id: accountId,
            name: word(1, 10),
            owner_id: owner,
            org_unit_id: unit,
            amount: 100,
            status: 'open',
            process_id: process.id,
            created_at: now,
            updated_at: now,
            version: 1,
          })
          .execute();
      }
      // Renames and deletes go through the triggers as much as inserts do.
      for (const id of accountIds.slice(0, 30))
        await kysely
          .updateTable('accounts')
          .set({ name: `${word(1, 8)}~${id}`, credit_code: `${word(0, 5)}~${id}` })
          .where('id', '=', id)
          .execute();
      await kysely
        .updateTable('contacts')
        .set((eb) => ({ name: eb.fn('lower', ['name']), mobile: null }))
        .where('workspace_id', '=', workspaceId)
        .where('id', '<', sql<number>`(select min(id) + 40 from contacts where workspace_id = ${workspaceId})`)
        .execute();
      await kysely
        .deleteFrom('opportunities')
        .where('workspace_id', '=', workspaceId)
        .where('name', 'like', '%a%')
        .execute();

      // Deals closed, reopened and closed otherwise: a deal's sort key (open first) moves with it.
      const deals = await kysely
        .selectFrom('opportunities')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .orderBy('id')
        .execute();
      for (const [at, { id }] of deals.entries())
        if (at % 3 !== 0)
          await kysely
            .updateTable('opportunities')
            .set({ status: at % 3 === 1 ? 'won' : 'lost' })
            .where('id', '=', id)
            .execute();
      for (const { id } of deals.filter((_, at) => at % 6 === 1))
        await kysely.updateTable('opportunities').set({ status: 'open' }).where('id', '=', id).execute();
      for (const { id } of deals.filter((_, at) => at % 6 === 2))
        await kysely.updateTable('opportunities').set({ status: 'won' }).where('id', '=', id).execute();
      // Reassigned: accounts (their contacts follow) and deals to other units, contacts to other
      // accounts; and a unit moved to another region (its id, and so the index, unchanged).
      const [sales2, sales3, guangzhou] = [other.units.sales2, other.units.sales3, other.units.guangzhou];
      for (const [at, id] of accountIds.entries())
        if (at % 4 === 1)
          await kysely
            .updateTable('accounts')
            .set({ org_unit_id: at % 8 === 1 ? sales3 : sales2 })
            .where('id', '=', id)
            .execute();
      await kysely
        .updateTable('opportunities')
        .set({ org_unit_id: sales3 })
        .where('workspace_id', '=', workspaceId)
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('opportunities as o')
            .select('o.id')
            .where('o.workspace_id', '=', workspaceId)
            .where('o.name', 'like', '%伟%'),
        )
        .execute();
      const contactIds = await kysely
        .selectFrom('contacts')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .execute();
      for (const [at, { id }] of contactIds.entries())
        if (at % 5 === 2)
          await kysely
            .updateTable('contacts')
            .set({ account_id: accountIds[at % accountIds.length]! })
            .where('id', '=', id)
            .execute();
      const region = await kysely
        .selectFrom('org_units')
        .select('path')
        .where('id', '=', guangzhou)
        .executeTakeFirstOrThrow();
      await kysely
        .updateTable('org_units')
        .set({ parent_id: guangzhou, path: `${region.path}${sales2}/` })
        .where('id', '=', sales2)
        .execute();
      const manager = await kysely
        .selectFrom('users')
        .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
        .select('org_units.path')
        .where('users.id', '=', other.users.manager.id)
        .executeTakeFirstOrThrow();
      const managerPath = manager.path;

      // What the triggers kept is what indexing every row afresh writes, sort keys and units included.
      const indexed = () =>
        kysely
          .selectFrom('search_grams')
          .select(['gram', 'kind', 'sort_key', 'unit_id', 'record_id'])
          .where('workspace_id', '=', workspaceId)
          .orderBy('gram')
          .orderBy('kind')
          .orderBy('sort_key')
          .orderBy('record_id')
          .execute();
      const kept = await indexed();
      await kysely.deleteFrom('search_grams').where('workspace_id', '=', workspaceId).execute();
      for (const spec of SEARCHED)
        for (const statement of backfillStatements(spec, `x.workspace_id = ${workspaceId}`))
          await sql.raw(statement).execute(kysely);
      assert.deepEqual(kept, await indexed());

      // Rows written a moment ago have no statistics yet (autovacuum has not come by): PostgreSQL
      // would take every table for one row and nest the substring test inside a loop over the grams.
      if (engine === 'postgres') await sql`analyze`.execute(kysely);
      const scan = substringScan(kysely, engine, workspaceId);
      const managerScan = substringScan(kysely, engine, workspaceId, managerPath);
      const sorted = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
      const names = (
        await kysely.selectFrom('accounts').select('name').where('workspace_id', '=', workspaceId).execute()
      ).map((r) => Array.from(r.name));
      const queries = new Set<string>();
      while (queries.size < 120) {
        if (random() < 0.6) {
          const nameChars = names[Math.floor(random() * names.length)]!;
          const at = Math.floor(random() * nameChars.length);
          queries.add(
            nameChars
              .slice(at, at + 1 + Math.floor(random() * 4))
              .join('')
              .trim() || 'a',
          );
        } else queries.add(word(1, 3).trim() || 'B');
      }
      // The same candidates when every gram counts as common (read whole and intersected, as
      // digits are at scale) as when the rarest drives and the others are probed per candidate.
      // Intersected as INTERSECT or as a merge join of the lists (PostgreSQL's global search).
      const viaIndex = async (query: string, probe: number, lists: 'intersect' | 'merge' = 'intersect') => {
        const match = await prepareMatch(kysely, workspaceId, query, ['c', 'o'], probe);
        const found = async (table: 'contacts' | 'opportunities', kind: 'c' | 'o') =>
          (
            await kysely
              .selectFrom(table)
              .select('id')
              .where('workspace_id', '=', workspaceId)
              .where((eb) => eb(`${table}.id`, 'in', candidateIds(eb, workspaceId, match, kind, null, lists)))
              .where((eb) =>
                eb.or(
                  (table === 'contacts' ? ['name', 'mobile', 'phone', 'email', 'title', 'wechat'] : ['name']).map(
                    (col) => containsInsensitive(engine, eb.ref(col as 'name'), query),
                  ),
                ),
              )
              .execute()
          ).map((r) => r.id);
        return {
          contacts: sorted(await found('contacts', 'c')),
          opportunities: sorted(await found('opportunities', 'o')),
        };
      };
      let nonEmpty = 0;
      for (const query of queries) {
        if (Array.from(query).length > 1) {
          const probed = await viaIndex(query, 1_000_000);
          assert.deepEqual(await viaIndex(query, 1), probed, `intersected ${JSON.stringify(query)}`);
          assert.deepEqual(await viaIndex(query, 1, 'merge'), probed, `merged ${JSON.stringify(query)}`);
        }
        const enc = encodeURIComponent(query);
        const accounts = json<Page>(await as.otherAdmin!('GET', `/api/v1/accounts?q=${enc}&limit=500`));
        const contacts = json<Page>(await as.otherAdmin!('GET', `/api/v1/contacts?q=${enc}&limit=500`));
        const opps = json<Page>(await as.otherAdmin!('GET', `/api/v1/opportunities?q=${enc}&limit=500`));
        assert.deepEqual(ids(accounts), sorted(await scan.accounts(query)), `accounts ${JSON.stringify(query)}`);
        assert.deepEqual(ids(contacts), sorted(await scan.contacts(query)), `contacts ${JSON.stringify(query)}`);
        assert.deepEqual(ids(opps), sorted(await scan.opportunities(query)), `opportunities ${JSON.stringify(query)}`);
        if (!/^[a-z]{2,}$/i.test(query)) {
          // Not initials: global search is the substring scan too (its count; capped far above these numbers).
          const found = await search('otherAdmin', query);
          assert.equal(
            found.accounts!.total,
            (await scan.searchAccounts(query)).length,
            `search ${JSON.stringify(query)}`,
          );
          // A manager's, through the index's units: what the records' own units give.
          const managers = await search('otherManager', query);
          assert.deepEqual(
            [managers.accounts!.total, managers.contacts!.total, managers.opportunities!.total],
            [
              (await managerScan.searchAccounts(query)).length,
              (await managerScan.searchContacts(query)).length,
              (await managerScan.searchOpportunities(query)).length,
            ],
            `a manager's search ${JSON.stringify(query)}`,
          );
        }
        if (accounts.total > 0) nonEmpty++;
      }
      assert.ok(nonEmpty > 60, `most queries should find something (${nonEmpty})`);
    });
  });
}
