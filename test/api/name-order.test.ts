import { describe, it, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { zhSortKey } from '../../src/domain/name-sort.ts';
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

/**
 * Names sort in pinyin order, the same on both engines (docs/DESIGN.md § Sorting names):
 * 阿 an 北 … 张 赵, not by code point (where 张 U+5F20 comes before 李 U+674E and 北 U+5317).
 * Known gap: ICU's few multi-character readings (重庆 as chóng-qìng) are per character on SQLite.
 */
const NAMES = [
  '张伟科技',
  '李娜贸易',
  '阿里巴巴',
  '北京燕京',
  '王府井百货',
  '安徽海螺',
  '赵氏实业',
  '成都银行',
  '厦门航空',
  '1号店',
  'Apple 中国',
  'apple 上海',
];
const pinyin = [...NAMES].sort(new Intl.Collator('zh').compare);

test('the sort key orders names as Intl.Collator("zh") does, and not as code points', () => {
  assert.deepEqual(
    [...NAMES].sort((a, b) => (zhSortKey(a)! < zhSortKey(b)! ? -1 : 1)),
    pinyin,
  );
  assert.notDeepEqual([...NAMES].sort(), pinyin);
});

for (const engine of testEngines()) {
  describe(`names in pinyin order [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let admin: Call;
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'zh');
      const kysely = testApp.db.kysely;
      const now = Date.now();
      for (const name of NAMES) {
        const id = (
          await kysely
            .insertInto('accounts')
            .values({
              workspace_id: fixture.workspaceId,
              name,
              name_key: name,
              owner_id: fixture.users.rep.id,
              org_unit_id: fixture.units.sales1,
              created_at: now,
              updated_at: now,
              version: 1,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
        await kysely
          .insertInto('contacts')
          .values({
            workspace_id: fixture.workspaceId,
            account_id: id,
            name: `${name}联系人`,
            created_at: now,
            updated_at: now,
            version: 1,
          })
          .execute();
      }
      admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
    });
    after(() => testApp.close());

    const ours = (names: string[]) => names.filter((n) => NAMES.some((x) => n.startsWith(x)));

    it('sorts accounts, contacts (by name and by company) and users by pinyin, both directions', async () => {
      const accounts = json<{ items: { name: string }[] }>(
        await admin('GET', `/api/v1/accounts?sort=name&limit=100&ownerId=${fixture.users.rep.id}`),
      ).items.map((a) => a.name);
      assert.deepEqual(ours(accounts), pinyin);
      const desc = json<{ items: { name: string }[] }>(
        await admin('GET', `/api/v1/accounts?sort=-name&limit=100&ownerId=${fixture.users.rep.id}`),
      ).items.map((a) => a.name);
      assert.deepEqual(ours(desc), [...pinyin].reverse());
      const contacts = json<{ items: { name: string; accountName: string }[] }>(
        await admin('GET', `/api/v1/contacts?sort=name&limit=100&ownerId=${fixture.users.rep.id}`),
      ).items;
      assert.deepEqual(
        ours(contacts.map((c) => c.name)),
        pinyin.map((n) => `${n}联系人`),
      );
      const byCompany = json<{ items: { accountName: string }[] }>(
        await admin('GET', `/api/v1/contacts?sort=accountName&limit=100&ownerId=${fixture.users.rep.id}`),
      ).items;
      assert.deepEqual(ours(byCompany.map((c) => c.accountName)), pinyin);
      await testApp.db.kysely
        .updateTable('users')
        .set({ name: '张三' })
        .where('id', '=', fixture.users.rep.id)
        .execute();
      await testApp.db.kysely
        .updateTable('users')
        .set({ name: '安娜' })
        .where('id', '=', fixture.users.rep2.id)
        .execute();
      await testApp.db.kysely
        .updateTable('users')
        .set({ name: '李四' })
        .where('id', '=', fixture.users.manager.id)
        .execute();
      const users = json<{ items: { name: string }[] }>(
        await admin('GET', '/api/v1/users?sort=name&limit=100'),
      ).items.map((u) => u.name);
      assert.deepEqual(
        users.filter((n) => ['张三', '安娜', '李四'].includes(n)),
        ['安娜', '李四', '张三'],
      );
    });
  });
}
