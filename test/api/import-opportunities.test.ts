import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
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
import type { Page } from '../../src/contracts/common.ts';
import type { ImportJob as Job, ReportRow } from '../../src/contracts/imports.ts';
import { addDays, dateIn } from '../../src/domain/calendar.ts';
import { recountTotals, storedTotals } from '../../src/modules/funnel/repository/recount.ts';
import { commitImport, uploadImport, validateImport } from '../helpers/imports.ts';

/**
 * Opportunities from another system (docs/sales-process.md § Import of opportunities): rows are
 * checked like the API's create and close, process and stage found by name in either language
 * (or through the value-mapping step), the commit is all or nothing, and the funnel's kept
 * totals equal a recount afterwards.
 */
const sorted = <T extends Record<string, unknown>>(rows: T[]) =>
  rows
    .map((row) =>
      Object.fromEntries(
        // Keys in one order: the kept rows and the recount list their columns differently.
        Object.entries(row)
          .filter(([key]) => key !== 'id')
          .sort(([left], [right]) => left.localeCompare(right))
          .map(([key, value]) => [key, typeof value === 'bigint' || /_id$/.test(key) ? Number(value) : value]),
      ),
    )
    .map((row) => JSON.stringify(row))
    .sort();

for (const engine of testEngines()) {
  describe(`opportunity import [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let rep: Call;
    let manager: Call;
    let executive: Call;
    let names: { own: string; others: string };
    let repName: string;
    const today = dateIn(Date.now(), 'Asia/Shanghai');
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'impo');
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
      manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
      executive = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.executive.id));
      const nameOf = async (id: number) =>
        (await testApp.db.kysely.selectFrom('accounts').select('name').where('id', '=', id).executeTakeFirstOrThrow())
          .name;
      names = { own: await nameOf(fixture.accounts.repAccount), others: await nameOf(fixture.accounts.rep2Account) };
      repName = (
        await testApp.db.kysely
          .selectFrom('users')
          .select('name')
          .where('id', '=', fixture.users.rep.id)
          .executeTakeFirstOrThrow()
      ).name;
    });
    after(() => testApp.close());

    const dealsOf = (accountId: number) =>
      testApp.db.kysely
        .selectFrom('opportunities')
        .innerJoin('process_stages', 'process_stages.id', 'opportunities.stage_id')
        .select([
          'opportunities.id',
          'opportunities.name',
          'opportunities.status',
          'opportunities.owner_id',
          'opportunities.amount',
          'opportunities.contract_amount',
          'opportunities.expected_close_date',
          'opportunities.closed_at',
          'opportunities.close_reason',
          'opportunities.close_competitor',
          'opportunities.forecast_category',
          'opportunities.products',
          'process_stages.name as stage',
        ])
        .where('opportunities.workspace_id', '=', fixture.workspaceId)
        .where('opportunities.account_id', '=', accountId)
        .orderBy('opportunities.id')
        .execute();
    const dealCount = async () =>
      Number(
        (
          await testApp.db.kysely
            .selectFrom('opportunities')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('workspace_id', '=', fixture.workspaceId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const assertFunnelEqualsRecount = async () =>
      assert.deepEqual(
        sorted(await storedTotals(testApp.db.kysely, fixture.workspaceId)),
        sorted(await recountTotals(testApp.db.kysely, fixture.workspaceId, 200_000_00)),
        "the funnel's kept totals equal a recount",
      );

    it('checks every row like the API, asks about unknown stages, writes the rest with history and funnel totals', async () => {
      const past = addDays(today, -20);
      const next = addDays(today, 40);
      const csv = [
        '客户名称,商机名称,销售流程,阶段,金额（元）,预计成交日期,负责人,状态,丢单原因,赢单方,线索来源,产品',
        `${names.own},MES 一期,小项目,意向,"1,280,000",${next},${fixture.users.rep.email},进行中,,,展会,MES、WMS`,
        `${names.own},Upgrade,Small project,Negotiation,500000,${next.replaceAll('-', '/')},${repName},Open,,,,`,
        `${names.own},旧系统替换,小项目,,300000,${past},,赢单,,,,`,
        `${names.own},仓储项目,小项目,方案,80万,${past},,丢单,价格,某竞争对手,,`,
        `${names.own},启动项目,小项目,启动会,100000,${next},,,,,,`,
        `${names.own},Upgrade,Small project,Intent,1,${next},,,,,,`,
        `${names.others},看不见的客户,小项目,意向,100,${next},,,,,,`,
        `${names.own},坏金额,小项目,意向,abc,${next},,,,,,`,
        `${names.own},没原因,小项目,意向,100,${past},,丢单,,,,`,
        `${names.own},未来赢单,小项目,,100,${next},,赢单,,,,`,
        `${names.own},没人,小项目,意向,100,${next},nobody@nowhere.test,,,,,`,
      ].join('\n');
      const job = json<Job>(await uploadImport(manager, 'opportunities', csv));
      assert.equal(job.kind, 'opportunities');
      for (const field of ['accountName', 'name', 'process', 'stage', 'amount', 'expectedCloseDate', 'owner'])
        assert.equal(typeof job.suggestedMapping[field], 'number', `${field} is recognised by its Chinese header`);
      const checked = await validateImport(manager, job.id, { mapping: job.suggestedMapping, duplicateMode: 'skip' });
      assert.deepEqual(checked.counts, { create: 4, update: 0, skip: 1, error: 6, duplicate: 1, similar: 0 });
      const errors = json<Page<ReportRow>>(await manager('GET', `/api/v1/imports/${job.id}/errors`));
      assert.deepEqual(
        errors.items.map((row) => [
          row.rowNo,
          row.problems.map((problem) => `${problem.field}:${problem.code}`).join(),
        ]),
        [
          [6, 'stage:unknown_value'],
          [8, 'accountName:account_not_found'],
          [9, 'amount:invalid_amount'],
          [10, 'lossReason:required,competitor:required'],
          [11, 'expectedCloseDate:future_close'],
          [12, 'owner:unknown_user'],
        ],
        "the manager's reach ends at their branch: another branch's account is not found",
      );
      assert.deepEqual(
        checked.unknownValues.map((unknown) => [
          unknown.field,
          unknown.value,
          unknown.rows,
          unknown.choices?.includes('方案'),
        ]),
        [['stage', '启动会', 1, true]],
      );
      const duplicates = json<Page<ReportRow>>(await manager('GET', `/api/v1/imports/${job.id}/duplicates`));
      assert.deepEqual(
        duplicates.items.map((row) => [row.rowNo, row.outcome, row.problems[0]!.code, row.problems[0]!.params?.row]),
        [[7, 'skip', 'duplicate_in_file', 3]],
      );

      // Rows with errors block the commit unless left out; nothing is written.
      const before = await dealCount();
      const blocked = await manager('POST', `/api/v1/imports/${job.id}/commit`, { skipErrors: false });
      assert.equal(blocked.statusCode, 400);
      assert.equal(json<{ errors: { field: string }[] }>(blocked).errors[0]!.field, 'skipErrors');
      assert.equal(await dealCount(), before);

      // The value-mapping step: 启动会 stands for the stage 方案.
      const mapped = await validateImport(manager, job.id, {
        mapping: job.suggestedMapping,
        duplicateMode: 'skip',
        valueMapping: { stage: { 启动会: '方案' } },
      });
      assert.equal(mapped.counts!.create, 5);
      assert.deepEqual(mapped.unknownValues, []);

      const done = await commitImport(manager, job.id, true);
      assert.equal(done.status, 'committed', done.failure ?? '');
      assert.deepEqual(done.result, { created: 5, updated: 0, skipped: 6 });
      const deals = await dealsOf(fixture.accounts.repAccount);
      const imported = deals.slice(-5);
      const shape = imported.map((deal) => ({
        name: deal.name,
        status: deal.status,
        stage: deal.stage,
        owner: Number(deal.owner_id),
        amount: Number(deal.amount),
        contract: deal.contract_amount === null ? null : Number(deal.contract_amount),
        close: deal.expected_close_date,
        closed: deal.closed_at !== null,
        reason: deal.close_reason,
        competitor: deal.close_competitor,
        forecast: deal.forecast_category,
      }));
      const managerId = fixture.users.manager.id;
      const repId = fixture.users.rep.id;
      assert.deepEqual(shape.slice(-5), [
        {
          name: 'MES 一期',
          status: 'open',
          stage: '意向',
          owner: repId,
          amount: 128_000_000,
          contract: null,
          close: next,
          closed: false,
          reason: null,
          competitor: null,
          forecast: 'pipeline',
        },
        {
          name: 'Upgrade',
          status: 'open',
          stage: '谈判',
          owner: repId,
          amount: 50_000_000,
          contract: null,
          close: next,
          closed: false,
          reason: null,
          competitor: null,
          forecast: 'pipeline',
        },
        {
          name: '旧系统替换',
          status: 'won',
          stage: '成交',
          owner: managerId,
          amount: 30_000_000,
          contract: 30_000_000,
          close: past,
          closed: true,
          reason: null,
          competitor: null,
          forecast: 'commit',
        },
        {
          name: '仓储项目',
          status: 'lost',
          stage: '方案',
          owner: managerId,
          amount: 80_000_000,
          contract: null,
          close: past,
          closed: true,
          reason: 'price',
          competitor: '某竞争对手',
          forecast: 'omitted',
        },
        {
          name: '启动项目',
          status: 'open',
          stage: '方案',
          owner: managerId,
          amount: 10_000_000,
          contract: null,
          close: next,
          closed: false,
          reason: null,
          competitor: null,
          forecast: 'pipeline',
        },
      ]);
      assert.equal(imported.at(-5)!.products, JSON.stringify(['MES', 'WMS']));
      const ids = imported.slice(-5).map((deal) => deal.id);
      // Stage history: one row each, closed at once for the closed deals; the owner on the team.
      const history = await testApp.db.kysely
        .selectFrom('opportunity_stage_history')
        .select(['opportunity_id', 'stage_name', 'left_at', 'exit_direction'])
        .where('opportunity_id', 'in', ids)
        .orderBy('opportunity_id')
        .execute();
      assert.deepEqual(
        history.map((row) => [row.stage_name, row.exit_direction]),
        [
          ['意向', null],
          ['谈判', null],
          ['成交', 'closed'],
          ['方案', 'closed'],
          ['方案', null],
        ],
      );
      const team = await testApp.db.kysely
        .selectFrom('opportunity_team')
        .select(['opportunity_id', 'user_id', 'team_role'])
        .where('opportunity_id', 'in', ids)
        .execute();
      assert.equal(team.length, 5);
      assert.ok(team.every((member) => member.team_role === 'sales_lead'));
      const changes = await testApp.db.kysely
        .selectFrom('record_history')
        .select(['field', 'reason'])
        .where('entity_type', '=', 'opportunity')
        .where('entity_id', '=', ids[2]!)
        .execute();
      assert.deepEqual(changes.map((change) => `${change.field}:${change.reason}`).sort(), [
        'amount:import',
        'close_date:import',
        'owner:import',
        'stage:import',
        'status:import',
      ]);
      const audit = await testApp.db.kysely
        .selectFrom('audit_log')
        .select('detail')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('target_id', '=', job.id)
        .where('action', '=', 'import.opportunities')
        .execute();
      assert.equal(audit.length, 1);
      await assertFunnelEqualsRecount();
      // The deals are what the API reads: the list finds them.
      const listed = json<{ items: { name: string; stageName: string }[] }>(
        await manager('GET', `/api/v1/opportunities?accountId=${fixture.accounts.repAccount}&limit=100`),
      );
      assert.ok(listed.items.some((deal) => deal.name === 'Upgrade' && deal.stageName === '谈判'));
    });

    it('gives a rep what the API gives them: own deals at the first stage, on accounts they may edit', async () => {
      const next = addDays(today, 30);
      const csv = [
        'Account,Opportunity,Sales process,Stage,Amount (yuan),Expected close date,Owner,Status,Loss reason,Competitor',
        `${names.own},Rep first,Small project,Intent,1000,${next},,,,`,
        `${names.own},Rep lost early,Small project,Intent,1000,${addDays(today, -3)},,Lost,Timing,none`,
        `${names.own},Rep past first,Small project,Proposal,1000,${next},,,,`,
        `${names.own},Rep won,Small project,,1000,${addDays(today, -3)},,Won,,`,
        `${names.own},For manager,Small project,Intent,1000,${next},${fixture.users.manager.email},,,`,
        `${names.others},Not mine,Small project,Intent,1000,${next},,,,`,
      ].join('\n');
      const job = json<Job>(await uploadImport(rep, 'opportunities', csv));
      const checked = await validateImport(rep, job.id, { mapping: job.suggestedMapping, duplicateMode: 'skip' });
      const errors = json<Page<ReportRow>>(await rep('GET', `/api/v1/imports/${job.id}/errors`));
      assert.deepEqual(
        errors.items.map((row) => [
          row.rowNo,
          row.problems.map((problem) => `${problem.field}:${problem.code}`).join(),
        ]),
        [
          [4, 'stage:gate_needs_manager'],
          [5, 'dealStatus:gate_needs_manager'],
          [6, 'owner:unknown_user'],
          [7, 'accountName:account_not_found'],
        ],
        'past the first stage needs a manager; the manager is out of a rep’s reach; another rep’s account is not found',
      );
      assert.equal(checked.counts!.create, 2);
      const done = await commitImport(rep, job.id, true);
      assert.equal(done.status, 'committed', done.failure ?? '');
      const mine = (await dealsOf(fixture.accounts.repAccount)).filter((deal) => deal.name.startsWith('Rep '));
      assert.deepEqual(
        mine.map((deal) => [deal.name, deal.status, Number(deal.owner_id), deal.close_reason, deal.close_competitor]),
        [
          ['Rep first', 'open', fixture.users.rep.id, null, null],
          ['Rep lost early', 'lost', fixture.users.rep.id, 'timing', 'none'],
        ],
      );
      await assertFunnelEqualsRecount();

      // Who may import at all, and whose imports one may see.
      assert.equal((await uploadImport(executive, 'opportunities', csv)).statusCode, 403);
      assert.equal(
        (await manager('GET', `/api/v1/imports/${job.id}`)).statusCode,
        404,
        "another's import is not shown",
      );
    });

    it('is all or nothing: a failure in the second batch leaves no deal, history or funnel total behind', async () => {
      if (engine === 'sqlite') {
        await sql`create trigger boom_deal before insert on opportunities when new.name = '爆炸商机' begin select raise(abort, 'boom'); end`.execute(
          testApp.db.kysely,
        );
      } else {
        await sql`create function boom_deal() returns trigger language plpgsql as $$ begin if new.name = '爆炸商机' then raise exception 'boom'; end if; return new; end $$`.execute(
          testApp.db.kysely,
        );
        await sql`create trigger boom_deal before insert on opportunities for each row execute function boom_deal()`.execute(
          testApp.db.kysely,
        );
      }
      const lines = ['客户名称,商机名称,金额,预计成交日期,销售流程'];
      for (let i = 1; i <= 700; i++)
        lines.push(`${names.own},${i === 650 ? '爆炸商机' : `批量商机${i}`},${i * 100},${addDays(today, 10)},小项目`);
      const job = json<Job>(await uploadImport(manager, 'opportunities', lines.join('\n')));
      const checked = await validateImport(manager, job.id, { mapping: job.suggestedMapping, duplicateMode: 'skip' });
      assert.deepEqual(checked.counts, { create: 700, update: 0, skip: 0, error: 0, duplicate: 0, similar: 0 });
      const before = {
        deals: await dealCount(),
        totals: sorted(await storedTotals(testApp.db.kysely, fixture.workspaceId)),
      };
      const done = await commitImport(manager, job.id);
      assert.equal(done.status, 'failed');
      assert.match(done.failure ?? '', /nothing was saved/);
      assert.equal(await dealCount(), before.deals, 'the first 500 rows were rolled back too');
      assert.deepEqual(sorted(await storedTotals(testApp.db.kysely, fixture.workspaceId)), before.totals);
      await sql`drop trigger boom_deal${sql.raw(engine === 'postgres' ? ' on opportunities' : '')}`.execute(
        testApp.db.kysely,
      );
      // Without the trigger the same job commits whole, and the funnel still equals a recount.
      const retried = await validateImport(manager, job.id, { mapping: job.suggestedMapping, duplicateMode: 'skip' });
      assert.equal(retried.counts!.create, 700);
      const again = await commitImport(manager, job.id);
      assert.equal(again.status, 'committed', again.failure ?? '');
      assert.equal(await dealCount(), before.deals + 700);
      await assertFunnelEqualsRecount();
    });

    it('offers a template with the columns in both languages', async () => {
      const zh = await manager('GET', '/api/v1/imports/template?kind=opportunities&lang=zh-CN');
      assert.equal(zh.statusCode, 200, zh.body);
      assert.equal(
        zh.body
          .replace(/^\uFEFF/, '')
          .trim()
          .split(',')[2],
        '商机名称',
      );
      const en = await manager('GET', '/api/v1/imports/template?kind=opportunities&lang=en-US');
      const headers = en.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split(',');
      assert.deepEqual(headers.slice(0, 4), ['Account', 'Account credit code', 'Opportunity', 'Sales process']);
      // The template's own headers map every field when uploaded back.
      const filled = json<Job>(
        await uploadImport(manager, 'opportunities', `${headers.join(',')}\n${names.own},,X,,,1,${today},,,,,,,\n`),
      );
      assert.ok(Object.values(filled.suggestedMapping).every((column) => typeof column === 'number'));
      assert.equal((await executive('GET', '/api/v1/imports/template?kind=opportunities')).statusCode, 403);
    });
  });
}
