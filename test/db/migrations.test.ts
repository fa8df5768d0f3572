import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { appliedMigrations, MIGRATION_NAMES, migrateToLatest, NewerDatabaseError } from '../../src/db/migrate.ts';
import { PG_ADMIN_URL, testEngines } from '../helpers/db.ts';
import type { Engine } from '../../src/db/dialect.ts';

/**
 * Upgrades keep data (issue 14 item 10): for every earlier version, a database is built at
 * that migration, filled with rows as that version wrote them, and migrated to the latest;
 * every row must come through with the values it had.
 */

/** An empty database of its own, not migrated. */
async function emptyDb(engine: Engine): Promise<Db & { dispose(): Promise<void>; dir?: string }> {
  if (engine === 'postgres') {
    const name = `keyline_upgrade_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    const db = openDatabase({ databaseUrl: url.toString() });
    return {
      ...db,
      async dispose() {
        await db.close().catch(() => undefined);
        const client = new pg.Client({ connectionString: PG_ADMIN_URL });
        await client.connect();
        await client.query(`drop database if exists ${name} with (force)`);
        await client.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-upgrade-'));
  const db = openDatabase({ sqliteFile: path.join(dir, 'keyline.db') });
  return {
    ...db,
    dir,
    async dispose() {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Row = Record<string, unknown>;
interface Written {
  table: string;
  id: number;
  values: Row;
}

/**
 * What each version wrote, using only the columns that version had. Each step adds the rows
 * of the tables (or columns) its migration introduced, referring to earlier steps' rows.
 */
type Ids = Record<string, number>;
const STEPS: Record<
  string,
  (
    put: (table: string, values: Row, key?: string) => Promise<number>,
    ids: Ids,
    set: (table: string, id: number, values: Row, key?: string) => Promise<void>,
  ) => Promise<void>
> = {
  async '0001_foundation'(put, ids) {
    const at = 1_700_000_000_000;
    ids.ws = await put('workspaces', { name: '华锐智造集团', time_zone: 'Asia/Shanghai', created_at: at });
    ids.root = await put('org_units', {
      workspace_id: ids.ws,
      parent_id: null,
      name: '集团',
      type: 'group',
      path: '/',
      created_at: at,
      updated_at: at,
    });
    ids.unit = await put('org_units', {
      workspace_id: ids.ws,
      parent_id: ids.root,
      name: '上海分公司',
      type: 'branch',
      path: '/x/',
      created_at: at,
      updated_at: at,
    });
    ids.user = await put('users', {
      workspace_id: ids.ws,
      org_unit_id: ids.unit,
      email: 'fang.wang@upgrade.test',
      name: '王芳',
      role: 'rep',
      password_hash: '$argon2id$v=19$m=19456,t=2,p=1$abc$def',
      can_export: 1,
      created_at: at,
      updated_at: at,
    });
    await put(
      'sessions',
      {
        id: 'a'.repeat(64),
        workspace_id: ids.ws,
        user_id: ids.user,
        created_at: at,
        last_seen_at: at,
        expires_at: at + 1e9,
        ip: '10.0.0.1',
      },
      'id',
    );
    await put('audit_log', {
      workspace_id: ids.ws,
      actor_user_id: ids.user,
      action: 'auth.login.success',
      subject: 'fang.wang@upgrade.test',
      ip: '10.0.0.1',
      created_at: at,
    });
  },
  async '0002_customer_archive'(put, ids) {
    const at = 1_710_000_000_000;
    ids.referrer = await put('accounts', {
      workspace_id: ids.ws,
      name: '上海电气集团股份有限公司',
      name_key: '电气',
      owner_id: ids.user,
      org_unit_id: ids.unit,
      tier: 'A',
      trailing_amount: 123_456_78,
      created_at: at,
      updated_at: at,
    });
    ids.account = await put('accounts', {
      workspace_id: ids.ws,
      name: '深圳市华为技术有限公司',
      name_key: '华为',
      credit_code: '91440300192203821X',
      province: '广东省',
      referrer_account_id: ids.referrer,
      owner_id: ids.user,
      org_unit_id: ids.unit,
      created_at: at,
      updated_at: at,
    });
    await put(
      'account_profiles',
      { account_id: ids.account, workspace_id: ids.ws, business_overview: '通信设备', updated_at: at },
      'account_id',
    );
    ids.boss = await put('contacts', {
      workspace_id: ids.ws,
      account_id: ids.account,
      name: '任正',
      title: '总裁',
      created_at: at,
      updated_at: at,
    });
    ids.contact = await put('contacts', {
      workspace_id: ids.ws,
      account_id: ids.account,
      name: '李娜',
      reports_to_id: ids.boss,
      email: 'li@hw.test',
      created_at: at,
      updated_at: at,
    });
    ids.opp = await put('opportunities', {
      workspace_id: ids.ws,
      account_id: ids.account,
      name: 'MES 一期',
      owner_id: ids.user,
      org_unit_id: ids.unit,
      amount: 50_000_00,
      status: 'open',
      expected_close_date: '2026-12-31',
      created_at: at,
      updated_at: at,
    });
    await put('opportunity_team', {
      workspace_id: ids.ws,
      opportunity_id: ids.opp,
      user_id: ids.user,
      team_role: 'sales_lead',
      created_at: at,
    });
    await put('buying_roles', {
      workspace_id: ids.ws,
      account_id: ids.account,
      opportunity_id: ids.opp,
      contact_id: ids.contact,
      role: 'decision_maker',
      attitude: 'supports',
      influence: 'high',
      relationship: 4,
      holder_user_id: ids.user,
      created_at: at,
      updated_at: at,
    });
    await put('record_history', {
      workspace_id: ids.ws,
      entity_type: 'account',
      entity_id: ids.account,
      field: 'owner',
      new_value: String(ids.user),
      created_at: at,
    });
    await put('saved_views', {
      workspace_id: ids.ws,
      user_id: ids.user,
      area: 'accounts',
      name: 'A 类',
      query: '{"tier":"A"}',
      created_at: at,
      updated_at: at,
    });
    await put('territory_rules', {
      workspace_id: ids.ws,
      province: '上海市',
      user_id: ids.user,
      created_at: at,
      updated_at: at,
    });
    ids.handover = await put('handovers', {
      workspace_id: ids.ws,
      from_user_id: ids.user,
      status: 'draft',
      created_by: ids.user,
      created_at: at,
    });
    await put('handover_items', {
      workspace_id: ids.ws,
      handover_id: ids.handover,
      entity_type: 'account',
      entity_id: ids.account,
      to_user_id: ids.user,
      created_at: at,
      updated_at: at,
    });
    ids.job = await put('import_jobs', {
      workspace_id: ids.ws,
      user_id: ids.user,
      kind: 'accounts',
      file_name: '客户.csv',
      status: 'committed',
      total_rows: 1,
      created_at: at,
      updated_at: at,
    });
    await put(
      'import_rows',
      { job_id: ids.job, row_no: 1, workspace_id: ids.ws, data: '["深圳市华为技术有限公司"]' },
      'job_id',
    );
  },
  async '0003_import_row_outcome'(_put, ids, set) {
    await set('import_rows', ids.job!, { outcome: 'created', target_id: ids.account }, 'job_id');
  },
  async '0006_sales_process'(put, ids, set) {
    const at = 1_720_000_000_000;
    ids.process = await put('sales_processes', {
      workspace_id: ids.ws,
      name: '小项目',
      template_key: 'small',
      created_at: at,
      updated_at: at,
    });
    ids.stage = await put('process_stages', {
      workspace_id: ids.ws,
      process_id: ids.process,
      position: 0,
      name: '意向',
      probability: 20,
      evidence: '[{"key":"need","label":"需求","requires":"check"}]',
      created_at: at,
      updated_at: at,
    });
    await set('opportunities', ids.opp!, {
      process_id: ids.process,
      stage_id: ids.stage,
      stage_entered_at: at,
      forecast_category: 'commit',
      products: '["MES"]',
    });
    await put('opportunity_stage_history', {
      workspace_id: ids.ws,
      opportunity_id: ids.opp,
      stage_id: ids.stage,
      stage_name: '意向',
      probability: 20,
      entered_at: at,
      entered_by: ids.user,
    });
    ids.review = await put('opportunity_reviews', {
      workspace_id: ids.ws,
      opportunity_id: ids.opp,
      reviewer_id: ids.user,
      completed_step: '方案',
      next_action: '拜访',
      created_at: at,
    });
  },
  async '0007_attachments'(put, ids) {
    await put('attachments', {
      workspace_id: ids.ws,
      uploaded_by: ids.user,
      opportunity_id: ids.opp,
      file_name: '需求确认函.pdf',
      content_type: 'application/pdf',
      size: 4,
      data: Buffer.from('%PDF'),
      created_at: 1_730_000_000_000,
    });
  },
  async '0008_review_plan'(_put, ids, set) {
    await set('opportunity_reviews', ids.review!, { root_cause: '预算', next_action_date: '2027-01-15' });
  },
  async '0009_stage_evidence'(_put, ids, set) {
    await set('opportunities', ids.opp!, { stage_evidence: '[{"stageId":1,"key":"need"}]' });
  },
  async '0010_password_change'(_put, ids, set) {
    await set('users', ids.user!, { must_change_password: 1 });
  },
  async '0011_reference_checks'() {},
  // A nullable lease column on import jobs: the jobs written at earlier versions carry through.
  async '0012_import_job_lease'() {},
  // Activities with contacts, a visit plan and a file; the account's follow-up becomes its base.
  async '0013_activities'(put, ids) {
    const at = 1_740_000_000_000;
    ids.activity = await put('activities', {
      workspace_id: ids.ws,
      account_id: ids.account,
      opportunity_id: ids.opp,
      owner_id: ids.user,
      type: 'visit',
      status: 'done',
      start_at: at,
      end_at: at + 3_600_000,
      subject: '需求调研',
      notes: '见了任总',
      created_by: ids.user,
      created_at: at,
      updated_at: at,
      version: 1,
    });
    await put(
      'activity_contacts',
      { activity_id: ids.activity, contact_id: ids.contact, workspace_id: ids.ws },
      'activity_id',
    );
    await put(
      'visit_plans',
      {
        activity_id: ids.activity,
        workspace_id: ids.ws,
        planned_by: ids.user,
        plan: '{"objectives":[{"text":"了解需求"}],"fab":[{"benefit":"省人工"}]}',
        objective_count: 1,
        created_at: at,
        updated_at: at,
      },
      'activity_id',
    );
    await put('attachments', {
      workspace_id: ids.ws,
      uploaded_by: ids.user,
      activity_id: ids.activity,
      file_name: '拜访纪要.docx',
      content_type: 'application/octet-stream',
      size: 2,
      data: Buffer.from('PK'),
      created_at: at,
    });
  },
  async '0014_rhythm'(put, ids) {
    const at = 1_760_000_000_000;
    ids.task = await put('tasks', {
      workspace_id: ids.ws,
      title: '回访采购',
      assignee_id: ids.user,
      created_by: ids.user,
      due_date: '2026-12-01',
      status: 'open',
      source: 'checkpoint',
      source_key: `checkpoint:${ids.opp}:day15`,
      account_id: ids.account,
      opportunity_id: ids.opp,
      created_at: at,
      updated_at: at,
      version: 1,
    });
    await put('notifications', {
      workspace_id: ids.ws,
      user_id: ids.user,
      kind: 'task_due',
      dedupe_key: `task_due:${ids.task}:2026-12-01`,
      subject_type: 'task',
      subject_id: ids.task,
      subject_name: '回访采购',
      due_date: '2026-12-01',
      created_at: at,
    });
    await put('checkpoint_reviews', {
      workspace_id: ids.ws,
      opportunity_id: ids.opp,
      kind: 'day30',
      period: '2026-12-15',
      outcome: 'advanced',
      note: '客户确认预算',
      reviewed_by: ids.user,
      created_at: at,
    });
    ids.report = await put('weekly_reports', {
      workspace_id: ids.ws,
      user_id: ids.user,
      week_start: '2026-11-30',
      plan_visits: '拜访华为',
      plan_deals: '[]',
      summary_problems: '[{"problem":"预算","solution":"分期"}]',
      plan_submitted_at: at,
      created_at: at,
      updated_at: at,
      version: 1,
    });
    await put('weekly_report_comments', {
      workspace_id: ids.ws,
      report_id: ids.report,
      author_id: ids.user,
      body: '很好',
      created_at: at,
    });
    await put('callbacks', {
      workspace_id: ids.ws,
      period: '2026-11',
      rep_id: ids.user,
      activity_id: 1,
      account_id: ids.account,
      auditor_id: ids.user,
      task_id: ids.task,
      outcome: 'confirmed',
      answered_at: at,
      created_at: at,
      version: 1,
    });
    await put('calendar_feeds', {
      workspace_id: ids.ws,
      user_id: ids.user,
      token_hash: 'b'.repeat(64),
      created_at: at,
    });
  },
  // Quotas and the funnel's totals (filled from the deals that exist: the open one above).
  async '0015_quotas_funnel'(put, ids) {
    await put('quotas', {
      workspace_id: ids.ws,
      subject_type: 'user',
      subject_id: ids.user,
      fiscal_year: 2026,
      amount: 1_200_000_00,
      quarter_ratios: '[22,28,25,25]',
      categories: '[]',
      basis: 'tax_inclusive',
      created_at: 1_740_000_000_000,
      updated_at: 1_740_000_000_000,
      updated_by: ids.user,
    });
  },
  // The funnel's subtree totals, filled from the per-owner ones: nothing earlier versions wrote changes.
  async '0015_quotas_funnel_units'() {},
  async '0016_forecasts'(put, ids) {
    const at = 1_740_000_000_000;
    ids.submission = await put('forecast_submissions', {
      workspace_id: ids.ws,
      user_id: ids.user,
      org_unit_id: ids.unit,
      period: 'FY2026-Q4',
      week_start: '2026-11-30',
      commit_amount: 50_000_00,
      possible_amount: 20_000_00,
      quota: 300_000_00,
      realised: 80_000_00,
      forecast: 150_000_00,
      note: '华为一期本月签',
      submitted_at: at,
      superseded_at: null,
    });
    await put(
      'forecast_submission_deals',
      {
        submission_id: ids.submission,
        workspace_id: ids.ws,
        opportunity_id: ids.opp,
        category: 'commit',
        amount: 50_000_00,
      },
      'submission_id',
    );
    await put('forecast_adjustments', {
      workspace_id: ids.ws,
      org_unit_id: ids.unit,
      period: 'FY2026-Q4',
      week_start: '2026-11-30',
      amount: 140_000_00,
      adjusted_by: ids.user,
      created_at: at,
      updated_at: at,
    });
  },
  // A subsidiary under the account above, a key-account unit and a deal's credit split.
  async '0017_groups_modes'(put, ids, set) {
    const at = 1_760_000_000_000;
    await put('accounts', {
      workspace_id: ids.ws,
      name: '华为数字能源技术有限公司',
      name_key: '华为数字能源',
      org_unit_id: ids.unit,
      parent_account_id: ids.account,
      created_at: at,
      updated_at: at,
      version: 1,
    });
    await set('org_units', ids.unit!, { sales_mode: 'key_account' });
    await put(
      'opportunity_credit_splits',
      { workspace_id: ids.ws, opportunity_id: ids.opp, user_id: ids.user, percent: 100, created_at: at },
      'opportunity_id',
    );
  },
  // The search index is derived: built from the rows already there, nothing new to write.
  async '0018_search_index'() {},
  // Indexes only: nothing new to write.
  async '0019_list_indexes'() {},
  // A purchase the company bought before Keyline, on the account above.
  async '0027_purchases'(put, ids) {
    await put('purchases', {
      workspace_id: ids.ws,
      account_id: ids.account,
      purchased_on: '2025-03-05',
      purchased_at: 1_741_104_000_000,
      amount: 1_280_000_00,
      product: 'MES 一期',
      created_at: 1_760_000_000_000,
    });
  },
  // The deal above paid in two installments.
  async '0022_payment_plans'(put, ids) {
    await put(
      'payment_plans',
      { opportunity_id: ids.opp, workspace_id: ids.ws, updated_by: ids.user, updated_at: 1_760_000_000_000 },
      'opportunity_id',
    );
    await put('payment_installments', {
      workspace_id: ids.ws,
      opportunity_id: ids.opp,
      due_date: '2026-12-15',
      amount: 640_000_00,
      note: '首付款 50%',
    });
    await put('payment_installments', {
      workspace_id: ids.ws,
      opportunity_id: ids.opp,
      due_date: '2027-03-15',
      amount: 640_000_00,
      note: null,
    });
  },
  // Indexes only: nothing new to write.
  async '0029_release_indexes'() {},
  // Indexes only: nothing new to write.
  async '0028_board_count_indexes'() {},
  // An index only (the supervision view's counting): nothing new to write.
  async '0030_cadence_index'() {},
  // Columns with a default and indexes: nothing new to write (no workspace has lines yet).
  async '0032_business_lines'() {},
  // Indexes only (the global search's walk): nothing new to write.
  async '0033_search_walk_indexes'() {},
  // Triggers only (PostgreSQL indexes a statement's new rows together): nothing new to write.
  async '0040_search_index_per_statement'() {},
  // The search index rebuilt with each record's sort key: derived, nothing new to write.
  async '0034_search_sort_key'() {},
  // The search index rebuilt with each record's unit: derived, nothing new to write.
  async '0043_search_unit'() {},
  // Indexes only (the needs-attention list's): nothing new to write.
  async '0041_attention_indexes'() {},
};

/** Writes rows as `version` had them, recording what was written to compare afterwards. */
async function fillAt(kysely: Kysely<unknown>, version: string, written: Written[]) {
  const ids: Ids = {};
  const put = async (table: string, values: Row, key = 'id') => {
    const row = await (kysely as Kysely<Record<string, Row>>)
      .insertInto(table)
      .values(values)
      .returning(key)
      .executeTakeFirstOrThrow();
    const id = row[key] as number;
    written.push({ table, id, values: { ...values, [key]: id } });
    return id;
  };
  const set = async (table: string, id: number, values: Row, key = 'id') => {
    await (kysely as Kysely<Record<string, Row>>).updateTable(table).set(values).where(key, '=', id).execute();
    const record = written.find((x) => x.table === table && x.id === id)!;
    Object.assign(record.values, values);
  };
  for (const name of MIGRATION_NAMES.slice(0, MIGRATION_NAMES.indexOf(version) + 1)) await STEPS[name]!(put, ids, set);
}

const normal = (value: unknown) =>
  Buffer.isBuffer(value) || value instanceof Uint8Array
    ? Buffer.from(value).toString('hex')
    : typeof value === 'bigint'
      ? Number(value)
      : value;

async function tableNames(db: Db): Promise<string[]> {
  return (await db.kysely.introspection.getTables()).map((t) => t.name).sort();
}

for (const engine of testEngines()) {
  describe(`upgrading the database keeps its data [${engine}]`, () => {
    const open: { dispose(): Promise<void> }[] = [];
    after(async () => {
      for (const openDb of open) await openDb.dispose();
    });

    it('every migration has the rows its version wrote in this test', () => {
      assert.deepEqual(
        Object.keys(STEPS),
        MIGRATION_NAMES,
        'a new migration needs a step here that writes what it introduces',
      );
    });

    for (const version of MIGRATION_NAMES.slice(0, -1)) {
      it(`from ${version}: every row and value comes through`, async () => {
        const db = await emptyDb(engine);
        open.push(db);
        assert.deepEqual(
          await migrateToLatest(db, { to: version }),
          MIGRATION_NAMES.slice(0, MIGRATION_NAMES.indexOf(version) + 1),
        );
        const written: Written[] = [];
        await fillAt(db.kysely as unknown as Kysely<unknown>, version, written);
        const counts = async () =>
          Object.fromEntries(
            await Promise.all(
              [...new Set(written.map((w) => w.table))].map(
                async (table) =>
                  [
                    table,
                    Number(
                      (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db.kysely))
                        .rows[0]!.n,
                    ),
                  ] as const,
              ),
            ),
          );
        const before = await counts();
        const rest = MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf(version) + 1);
        let backedUp: string[] | undefined;
        assert.deepEqual(
          await migrateToLatest(db, { beforeMigrating: async (pending) => void (backedUp = pending) }),
          rest,
        );
        assert.deepEqual(backedUp, rest, 'an existing database is offered a backup before the pending migrations');
        assert.deepEqual(await counts(), before, 'no rows lost or added');
        for (const record of written) {
          const key =
            'id' in record.values ? 'id' : Object.keys(record.values).find((c) => record.values[c] === record.id)!;
          const row = (
            await sql<Row>`select * from ${sql.table(record.table)} where ${sql.ref(key)} = ${record.id}`.execute(
              db.kysely,
            )
          ).rows[0];
          assert.ok(row, `${record.table} ${record.id} kept`);
          for (const [col, expected] of Object.entries(record.values))
            assert.deepEqual(
              normal(row[col]),
              normal(expected),
              `${record.table}.${col} after upgrading from ${version}`,
            );
        }
        assert.deepEqual(await appliedMigrations(db), [...MIGRATION_NAMES].sort());
        // Closed now, not after the suite: a pool per version kept open ran a shared PostgreSQL out of connections.
        open.splice(open.indexOf(db), 1);
        await db.dispose();
      });
    }

    it('rolls back a migration that fails part-way, with its bookkeeping: the database stays at the last one that succeeded', async () => {
      const db = await emptyDb(engine);
      open.push(db);
      await migrateToLatest(db, { to: '0010_password_change' });
      // 0011 clears orphan references first, then adds its checks; a clash at the end must undo the clearing.
      const kysely = db.kysely;
      const now = Date.now();
      const ws = (
        await kysely
          .insertInto('workspaces')
          .values({ name: 'w', created_at: now } as never)
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      const unit = (
        await kysely
          .insertInto('org_units')
          .values({ workspace_id: ws, name: 'u', type: 'group', path: '/', created_at: now, updated_at: now } as never)
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      const orphan = (
        await kysely
          .insertInto('accounts')
          .values({
            workspace_id: ws,
            name: 'a',
            name_key: 'a',
            org_unit_id: unit,
            referrer_account_id: 999_999,
            created_at: now,
            updated_at: now,
          } as never)
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      // The name of the migration's last object is taken already.
      if (engine === 'postgres')
        await sql`alter table opportunities add constraint opportunities_stage_id_fk check (true)`.execute(kysely);
      else
        await sql`create trigger opportunities_stage_id_parent_delete before delete on process_stages begin select 1; end`.execute(
          kysely,
        );
      await assert.rejects(migrateToLatest(db), /migration 0011_reference_checks failed/);
      const row = await kysely
        .selectFrom('accounts')
        .select('referrer_account_id')
        .where('id', '=', orphan)
        .executeTakeFirstOrThrow();
      assert.equal(row.referrer_account_id, 999_999, 'the clearing of orphan references was rolled back');
      assert.ok(!(await appliedMigrations(db)).includes('0011_reference_checks'));
    });

    it("the database itself refuses a reference to another workspace's row, or to none (issue 14 item 4)", async () => {
      const db = await emptyDb(engine);
      open.push(db);
      await migrateToLatest(db);
      const kysely = db.kysely as unknown as Kysely<Record<string, Row>>;
      const now = Date.now();
      const world = async (name: string) => {
        const ws = (
          await kysely
            .insertInto('workspaces')
            .values({ name, created_at: now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id as number;
        const unit = (
          await kysely
            .insertInto('org_units')
            .values({ workspace_id: ws, name: 'u', type: 'group', path: '/', created_at: now, updated_at: now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id as number;
        const account = (
          await kysely
            .insertInto('accounts')
            .values({ workspace_id: ws, name: 'a', name_key: 'a', org_unit_id: unit, created_at: now, updated_at: now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id as number;
        const process = (
          await kysely
            .insertInto('sales_processes')
            .values({ workspace_id: ws, name: 'p', created_at: now, updated_at: now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id as number;
        const stage = (
          await kysely
            .insertInto('process_stages')
            .values({
              workspace_id: ws,
              process_id: process,
              position: 0,
              name: 's',
              probability: 10,
              created_at: now,
              updated_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id as number;
        return { ws, unit, account, process, stage };
      };
      const worldA = await world('a');
      const worldB = await world('b');
      const account = (referrer: number) =>
        kysely
          .insertInto('accounts')
          .values({
            workspace_id: worldA.ws,
            name: 'x',
            name_key: 'x',
            org_unit_id: worldA.unit,
            referrer_account_id: referrer,
            created_at: now,
            updated_at: now,
          })
          .execute();
      await account(worldA.account);
      await assert.rejects(account(worldB.account), /foreign key/i, "another workspace's account");
      await assert.rejects(account(999_999), /foreign key/i, 'no account');
      await assert.rejects(
        kysely
          .updateTable('accounts')
          .set({ referrer_account_id: worldB.account })
          .where('id', '=', worldA.account)
          .execute(),
        /foreign key/i,
      );
      const user = (
        await kysely
          .insertInto('users')
          .values({
            workspace_id: worldA.ws,
            org_unit_id: worldA.unit,
            email: `u${engine}@fk.test`,
            name: 'u',
            role: 'rep',
            password_hash: 'x',
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id as number;
      const opp = (stage: number) =>
        kysely
          .insertInto('opportunities')
          .values({
            workspace_id: worldA.ws,
            account_id: worldA.account,
            name: 'o',
            owner_id: user,
            org_unit_id: worldA.unit,
            process_id: worldA.process,
            stage_id: stage,
            created_at: now,
            updated_at: now,
          })
          .execute();
      await opp(worldA.stage);
      await assert.rejects(opp(worldB.stage), /foreign key/i, "another workspace's stage");
      await assert.rejects(
        kysely.deleteFrom('process_stages').where('id', '=', worldA.stage).execute(),
        /foreign key/i,
        'a stage still in use',
      );
    });

    it('refuses a database written by a newer version, changing nothing', async () => {
      const db = await emptyDb(engine);
      open.push(db);
      await migrateToLatest(db, { to: '0009_stage_evidence' });
      await sql`insert into kysely_migration (name, timestamp) values ('0099_from_the_future', '2030-01-01T00:00:00.000Z')`.execute(
        db.kysely,
      );
      const tables = await tableNames(db);
      let offered = false;
      await assert.rejects(
        migrateToLatest(db, { beforeMigrating: async () => void (offered = true) }),
        (error: Error) =>
          error instanceof NewerDatabaseError &&
          /newer version of Keyline/.test(error.message) &&
          /0099_from_the_future/.test(error.message),
      );
      assert.equal(offered, false);
      assert.deepEqual(await tableNames(db), tables);
      assert.ok(
        !(await appliedMigrations(db)).includes('0010_password_change'),
        'the pending migrations were not applied',
      );
    });

    it('offers no backup to an empty database', async () => {
      const db = await emptyDb(engine);
      open.push(db);
      let offered = false;
      await migrateToLatest(db, { beforeMigrating: async () => void (offered = true) });
      assert.equal(offered, false);
    });
  });
}
