import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CompiledQuery, sql } from 'kysely';
import { testEngines } from '../helpers/db.ts';
import { createTestApp, seedWorkspace, type Fixture, type TestApp } from '../helpers/app.ts';
import {
  candidateIds,
  looksLikeInitials,
  prepareMatch,
  type SearchKind,
} from '../../src/modules/search/repository/match.ts';
import * as plans from '../../src/modules/search/repository/plan.ts';
import type { PlanOptions } from '../../src/modules/search/repository/plan.ts';
import { companyNameKey } from '../../src/domain/company-name.ts';
import type { Actor } from '../../src/domain/policy.ts';
import { substringScan } from '../helpers/substring-scan.ts';

/**
 * The global search's plans (src/modules/search/repository/plan.ts) give the same answer: the
 * walk in rank order (whole, or stopped at its bound and handed to the ranked plan), the
 * reach's own rows, the first matches counted and ranked — each against the ranked plan, the
 * one the substring scan is proven against (search.test.ts). Random names with many ties in
 * length, exact and prefix matches, open and closed deals, archived rows, teams; more than the
 * count's cap of one word, so the capped path is taken too.
 */

/** mulberry32: the same random names on every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let mixed = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

const TEXTS = ['华', '华为', 'hw', 'zw', 'me', 'mes', 'MES', '12', '批量', '批', 'pl', 'a', '%', '华为mes'];
const GROUPS = ['searchAccounts', 'searchContacts', 'searchOpportunities'] as const;

for (const engine of testEngines()) {
  describe(`global search plans give the same answer [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    const actors: Record<string, Actor> = {};
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'pln');
      const kysely = testApp.db.kysely;
      const random = rng(20261206);
      const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
      const alphabet = ['华', '为', '伟', '张', '批', '量', 'M', 'e', 's', 'm', '1', '2', 'a', ' '];
      const word = (min: number, max: number) =>
        Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => pick(alphabet)).join('');
      const now = Date.now();
      const ws = fixture.workspaceId;
      const owners = [fixture.users.rep, fixture.users.rep2, fixture.users.manager, fixture.users.admin];
      const units = [fixture.units.sales1, fixture.units.sales2, fixture.units.sales3];
      const process = await kysely
        .selectFrom('sales_processes')
        .select('id')
        .where('workspace_id', '=', ws)
        .executeTakeFirstOrThrow();
      const accountIds: number[] = [];
      for (let i = 0; i < 80; i++) {
        // Exact names, names starting with a text, and many of the same length (ties broken by id).
        const name = i < 4 ? ['华为', '华为mes', 'MES', '批量'][i]! : random() < 0.3 ? `华为${word(0, 3)}` : word(2, 6);
        const account = await kysely
          .insertInto('accounts')
          .values({
            workspace_id: ws,
            name,
            name_key: `${companyNameKey(name)}#${i}`,
            credit_code: random() < 0.3 ? `${word(2, 5)}-${i}` : null,
            owner_id: pick(owners).id,
            org_unit_id: pick(units),
            archived_at: random() < 0.1 ? now : null,
            created_at: now,
            updated_at: now,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        accountIds.push(account.id);
        for (let j = 0; j < 2; j++)
          await kysely
            .insertInto('contacts')
            .values({
              workspace_id: ws,
              account_id: account.id,
              name: random() < 0.2 ? pick(['张伟', '华为', 'mes']) : word(1, 4),
              mobile: random() < 0.5 ? `1${Math.floor(random() * 1e6)}2` : null,
              email: random() < 0.4 ? `${pick(['me', 'mes', 'hw', 'x'])}${i}@x.cn` : null,
              archived_at: random() < 0.1 ? now : null,
              created_at: now,
              updated_at: now,
              version: 1,
            })
            .execute();
      }
      const deal = (accountId: number, name: string) => ({
        workspace_id: ws,
        account_id: accountId,
        name,
        owner_id: pick(owners).id,
        org_unit_id: pick(units),
        amount: 100,
        status: pick(['open', 'open', 'won', 'lost']),
        process_id: process.id,
        created_at: now,
        updated_at: now,
        version: 1,
      });
      for (let i = 0; i < 240; i++)
        await kysely
          .insertInto('opportunities')
          .values(deal(pick(accountIds), random() < 0.3 ? `华为${word(0, 4)}` : word(1, 7)))
          .execute();
      // One word in more deals than the count's cap (1,000): the walk's own case.
      for (let i = 0; i < 1100; i += 100)
        await kysely
          .insertInto('opportunities')
          .values(Array.from({ length: 100 }, () => deal(pick(accountIds), `${word(0, 2)}批量${word(0, 3)}`)))
          .execute();
      // Presales and reps reach deals through their teams too.
      const deals = await kysely.selectFrom('opportunities').select('id').where('workspace_id', '=', ws).execute();
      for (const { id } of deals.filter(() => random() < 0.05))
        for (const user of [fixture.users.presales, fixture.users.rep2])
          await kysely
            .insertInto('opportunity_team')
            .values({ workspace_id: ws, opportunity_id: id, user_id: user.id, team_role: 'support', created_at: now })
            .execute();
      if (engine === 'postgres') await sql`analyze`.execute(kysely);
      for (const who of ['admin', 'manager', 'rep', 'rep2', 'presales'] as const) {
        const user = await kysely
          .selectFrom('users')
          .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
          .select(['users.id', 'users.role', 'users.org_unit_id', 'org_units.path'])
          .where('users.id', '=', fixture.users[who].id)
          .executeTakeFirstOrThrow();
        actors[who] = {
          workspaceId: ws,
          userId: user.id,
          role: user.role as Actor['role'],
          orgUnitId: user.org_unit_id,
          unitPath: user.path,
          now,
          exportGranted: false,
        };
      }
    });
    after(() => testApp.close());

    it('the walk, the bounded walk, the reach and the first matches answer as the ranked plan, by role and limit', async () => {
      const kysely = testApp.db.kysely;
      const variants: Record<string, PlanOptions> = {
        auto: {},
        walk: { force: 'walk', walkRows: 1_000_000 },
        'walk stopped early': { force: 'walk', walkRows: 40 },
        reach: { force: 'reach' },
      };
      let capped = 0;
      let found = 0;
      for (const text of TEXTS) {
        const kinds: SearchKind[] = looksLikeInitials(text) ? ['a', 'c', 'o', 'ap', 'cp', 'op'] : ['a', 'c', 'o'];
        const match = await prepareMatch(kysely, fixture.workspaceId, text, kinds, undefined, true);
        // Every gram counted as common: the automatic choice takes the plans for many
        // candidates, the count from the index's lists (more than the cap, or handed over) too.
        const common = await prepareMatch(kysely, fixture.workspaceId, text, kinds, 1, true);
        for (const [who, actor] of Object.entries(actors))
          for (const group of GROUPS)
            for (const limit of [5, 20]) {
              const ranked = await plans[group](kysely, engine, actor, text, match, limit, { force: 'ranked' });
              if (ranked.capped) capped++;
              if (ranked.rows.length > 0) found++;
              for (const [name, options] of Object.entries(variants))
                assert.deepEqual(
                  await plans[group](kysely, engine, actor, text, match, limit, options),
                  ranked,
                  `${name}: ${group} ${JSON.stringify(text)} as ${who}, limit ${limit}`,
                );
              assert.deepEqual(
                await plans[group](kysely, engine, actor, text, common, limit),
                ranked,
                `auto, every gram common: ${group} ${JSON.stringify(text)} as ${who}, limit ${limit}`,
              );
            }
      }
      assert.ok(capped >= 4, `the capped count is exercised (${capped})`);
      assert.ok(found > 200, `most cases find something (${found})`);
    });

    it('digit fragments whose every gram is common (phones, numbered emails): the merged lists find what the substring scan finds', async () => {
      // At the scale set every gram of "c1234" is in 30,000–55,000 contacts (mobiles, emails
      // c<n>@…): the lists are read whole and intersected (on PostgreSQL merged in the index's
      // order). Decoys hold every gram but not the text ("1234c1", "c12 2334"), or all but one.
      const kysely = testApp.db.kysely;
      const ws = fixture.workspaceId;
      const accounts = await kysely.selectFrom('accounts').select('id').where('workspace_id', '=', ws).execute();
      const now = Date.now();
      const decoys = ['1234c1', 'c12 2334', 'c1x234', 'c123 4', 'C1234', 'xc12345'];
      await kysely
        .insertInto('contacts')
        .values(
          Array.from({ length: 160 }, (_, at) => ({
            workspace_id: ws,
            account_id: accounts[(at * 7) % accounts.length]!.id,
            // Names of a few lengths: the lists run in (sort key, record) order, the key the name's length.
            name: ['王', '李四', '张小明', '欧阳小雨'][at % 4]!,
            mobile: `13${String((at * 7919) % 100_000_000).padStart(8, '1')}`,
            email: at % 3 === 0 ? `c${1000 + at * 37}@customer.example.cn` : `c12${at}@x.cn`,
            wechat: at % 5 === 0 ? decoys[(at / 5) % decoys.length]! : null,
            archived_at: at % 17 === 0 ? now : null,
            created_at: now,
            updated_at: now,
            version: 1,
          })),
        )
        .execute();
      if (engine === 'postgres') await sql`analyze`.execute(kysely);
      let found = 0;
      for (const text of ['c1234', '1234', 'c12', '234', '2334', '13']) {
        const common = await prepareMatch(kysely, ws, text, ['a', 'c', 'o'], 1, true);
        const rare = await prepareMatch(kysely, ws, text, ['a', 'c', 'o'], 1_000_000, true);
        assert.ok(common.common.c, `every gram of ${text} counts as common`);
        for (const who of ['admin', 'manager'] as const) {
          const actor = actors[who]!;
          const scan = substringScan(kysely, engine, ws, who === 'manager' ? actor.unitPath : null);
          const expected = (await scan.searchContacts(text)).sort((left, right) => left - right);
          for (const match of [common, rare]) {
            const answer = await plans.searchContacts(kysely, engine, actor, text, match, 1000);
            const label = `${text} as ${who}, ${match === common ? 'lists merged' : 'probed'}`;
            assert.deepEqual(
              answer.rows.map((row) => row.id).sort((left, right) => left - right),
              expected,
              label,
            );
            assert.equal(answer.total, expected.length, label);
          }
          if (expected.length > 0) found++;
        }
      }
      assert.ok(found >= 8, `most fragments find contacts (${found})`);
      if (engine === 'postgres') {
        // The shape: the lists read by the index's key and joined, no INTERSECT (a hash of every list).
        const common = await prepareMatch(kysely, ws, 'c1234', ['c'], 1, true);
        const query = kysely
          .selectFrom('contacts')
          .select('id')
          .where((eb) => eb('contacts.id', 'in', candidateIds(eb, ws, common, 'c', null, 'merge')))
          .compile();
        const plan = await kysely.transaction().execute(async (trx) => {
          await sql`set local enable_seqscan = off`.execute(trx);
          const explained = await trx.executeQuery<{ 'QUERY PLAN': string }>(
            CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]),
          );
          return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
        });
        assert.doesNotMatch(plan, /SetOp/, plan);
        assert.equal(plan.match(/using search_grams_pkey on search_grams/g)?.length, common.grams.c!.length, plan);
      }
    });

    it('the ranked plan gives the same answer when every gram counts as common (lists intersected), initials too', async () => {
      // SQLite reads `a intersect b union c intersect d` from the left: the text's and the
      // initials' intersected candidates must each be their own subquery.
      const kysely = testApp.db.kysely;
      for (const text of ['mes', 'me', 'hw', 'zw', 'pl', '华为', '12'])
        for (const group of GROUPS) {
          const kinds: SearchKind[] = looksLikeInitials(text) ? ['a', 'c', 'o', 'ap', 'cp', 'op'] : ['a', 'c', 'o'];
          const common = await prepareMatch(kysely, fixture.workspaceId, text, kinds, 1, true);
          const rare = await prepareMatch(kysely, fixture.workspaceId, text, kinds, 1_000_000, true);
          const answer = (match: typeof common) =>
            plans[group](kysely, engine, actors.admin!, text, match, 20, { force: 'ranked' });
          assert.deepEqual(await answer(common), await answer(rare), `${group} ${text}`);
        }
    });
  });
}
