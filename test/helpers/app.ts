import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Engine } from '../../src/db/dialect.ts';
import type { Role } from '../../src/domain/roles.ts';
import { hashPassword } from '../../src/modules/auth/password.ts';
import { insertSession } from '../../src/modules/auth/repository.ts';
import { sessionIdOf } from '../../src/modules/auth/service.ts';
import { insertUnit } from '../../src/modules/org/repository.ts';
import { insertUser } from '../../src/modules/users/repository.ts';
import { createWorkspace } from '../../src/modules/workspace/service.ts';
import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';
import { createTestDb, type TestDb } from './db.ts';
import { companyNameKey } from '../../src/domain/company-name.ts';
import { Conformance } from './openapi/conformance.ts';

interface Answer {
  method: string;
  url: string;
  status: number;
  contentType: string | undefined;
  body: string | undefined;
}

/** Every answer of a documented API route, checked against the document when the app closes. */
function recordAnswers(app: FastifyInstance): Answer[] {
  const answers: Answer[] = [];
  app.addHook('onSend', async (req, reply, payload) => {
    const url = req.routeOptions.url;
    if (url?.startsWith('/api/v1/')) {
      const type = reply.getHeader('content-type');
      answers.push({
        method: req.method,
        url,
        status: reply.statusCode,
        contentType: typeof type === 'string' ? type : undefined,
        body: typeof payload === 'string' ? payload : undefined,
      });
    }
    return payload;
  });
  return answers;
}

export const PASSWORD = 'test-password-1';
let sharedHash: Promise<string> | undefined;
const passwordHash = () => (sharedHash ??= hashPassword(PASSWORD));

export interface TestApp {
  engine: Engine;
  db: TestDb;
  app: FastifyInstance;
  config: Config;
  close(): Promise<void>;
}

/** `clock` fixes the server's time for the requests (Actor.now). */
export async function createTestApp(
  engine: Engine,
  overrides: Partial<Config> = {},
  opts: { clock?: () => number } = {},
): Promise<TestApp> {
  const db = await createTestDb(engine);
  const config = { ...loadConfig({ KEYLINE_DATA_DIR: '/tmp/keyline-unused', LOG_LEVEL: 'silent' }), ...overrides };
  const app = await buildApp(db, config, { logger: false, ...opts });
  const answers = recordAnswers(app);
  await app.ready();
  return {
    engine,
    db,
    app,
    config,
    async close() {
      // Every answer any test provoked must be what /api/openapi.json documents.
      const conformance = await Conformance.of(app);
      await app.close();
      await db.dispose();
      const wrong = [
        ...new Set(answers.flatMap((a) => conformance.check(a.method, a.url, a.status, a.contentType, a.body))),
      ];
      if (wrong.length) throw new Error(`answers that /api/openapi.json does not document:\n${wrong.join('\n')}`);
    },
  };
}

/**
 * A workspace with a small tree and one user of every role:
 *   root(group) ─ east(region) ─ shanghai(branch) ─ sales1, sales2 (department)
 *               └ south(region) ─ guangzhou(branch) ─ sales3 (department)
 * manager heads shanghai (sees shanghai, sales1, sales2); rep sits in sales1; rep2 in sales3.
 */
export interface Fixture {
  workspaceId: number;
  units: Record<'root' | 'east' | 'shanghai' | 'sales1' | 'sales2' | 'south' | 'guangzhou' | 'sales3', number>;
  users: Record<Role | 'rep2', { id: number; email: string }>;
  /** repAccount: owned by rep (sales1); rep2Account: by rep2 (sales3); poolAccount: in the Shanghai pool. */
  accounts: Record<'repAccount' | 'rep2Account' | 'poolAccount', number>;
  contacts: Record<'repContact', number>;
  buyingRoles: Record<'repRole', number>;
  savedViews: Record<'repView', number>;
}

export async function seedWorkspace(testApp: TestApp, label: string): Promise<Fixture> {
  const kysely = testApp.db.kysely;
  const hash = await passwordHash();
  const now = Date.now();
  const tag = `${label}-${randomBytes(3).toString('hex')}`;
  const ws = await createWorkspace(
    kysely,
    { name: `Workspace ${label}`, admin: { email: `admin@${tag}.test`, name: `Admin ${label}`, passwordHash: hash } },
    now,
  );
  const unit = async (parent: { id: number; path: string }, name: string, type: string) => {
    const id = await insertUnit(kysely, {
      workspaceId: ws.workspaceId,
      parentId: parent.id,
      parentPath: parent.path,
      name,
      type,
      sortOrder: 0,
      now,
    });
    return { id, path: `${parent.path}${id}/` };
  };
  const root = { id: ws.rootUnitId, path: `/${ws.rootUnitId}/` };
  const east = await unit(root, '华东大区', 'region');
  const shanghai = await unit(east, '上海分公司', 'branch');
  const sales1 = await unit(shanghai, '销售一部', 'department');
  const sales2 = await unit(shanghai, '销售二部', 'department');
  const south = await unit(root, '华南大区', 'region');
  const guangzhou = await unit(south, '广州分公司', 'branch');
  const sales3 = await unit(guangzhou, '销售部', 'department');
  const user = async (role: Role, unitId: number, key: string) => {
    const email = `${key}@${tag}.test`;
    const id = await insertUser(kysely, {
      workspaceId: ws.workspaceId,
      orgUnitId: unitId,
      email,
      name: `${key} ${label}`,
      role,
      title: null,
      phone: null,
      passwordHash: hash,
      locale: 'zh-CN',
      canExport: false,
      now,
    });
    return { id, email };
  };
  const users = {
    admin: { id: ws.adminId, email: `admin@${tag}.test` },
    executive: await user('executive', root.id, 'executive'),
    manager: await user('manager', shanghai.id, 'manager'),
    rep: await user('rep', sales1.id, 'rep'),
    rep2: await user('rep', sales3.id, 'rep2'),
    presales: await user('presales', shanghai.id, 'presales'),
    auditor: await user('auditor', root.id, 'auditor'),
    finance: await user('finance', root.id, 'finance'),
  };
  const account = async (name: string, ownerId: number | null, unitId: number, inPool = 0) =>
    (
      await kysely
        .insertInto('accounts')
        .values({
          workspace_id: ws.workspaceId,
          name,
          name_key: companyNameKey(name),
          owner_id: ownerId,
          org_unit_id: unitId,
          in_pool: inPool,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const repAccount = await account('深圳市华为技术有限公司', users.rep.id, sales1.id);
  const rep2Account = await account('广州白云电器设备股份有限公司', users.rep2.id, sales3.id);
  const poolAccount = await account('上海电气集团股份有限公司', null, shanghai.id, 1);
  const repContact = (
    await kysely
      .insertInto('contacts')
      .values({
        workspace_id: ws.workspaceId,
        account_id: repAccount,
        name: '任正',
        title: '采购总监',
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const repRole = (
    await kysely
      .insertInto('buying_roles')
      .values({
        workspace_id: ws.workspaceId,
        account_id: repAccount,
        contact_id: repContact,
        role: 'decision_maker',
        attitude: 'neutral',
        influence: 'high',
        relationship: 2,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const repView = (
    await kysely
      .insertInto('saved_views')
      .values({
        workspace_id: ws.workspaceId,
        user_id: users.rep.id,
        area: 'accounts',
        name: 'A tier',
        query: '{"tier":"A"}',
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  return {
    workspaceId: ws.workspaceId,
    accounts: { repAccount, rep2Account, poolAccount },
    contacts: { repContact },
    buyingRoles: { repRole },
    savedViews: { repView },
    units: {
      root: root.id,
      east: east.id,
      shanghai: shanghai.id,
      sales1: sales1.id,
      sales2: sales2.id,
      south: south.id,
      guangzhou: guangzhou.id,
      sales3: sales3.id,
    },
    users,
  };
}

/**
 * Further records, for suites that need one of everything (the permission matrix, the
 * opportunity tests) — kept out of seedWorkspace so other suites' counts stay simple.
 * repOpp: rep's open opportunity on repAccount, in the "small" process at its first stage.
 */
export interface Extras {
  opportunities: Record<'repOpp', number>;
  processes: Record<'small', { id: number; stageIds: number[] }>;
  territories: Record<'repRule', number>;
  imports: Record<'repImport', number>;
  handovers: Record<'rep2Draft', number>;
  /** repProof: a file rep uploaded, evidence on repOpp. */
  attachments: Record<'repProof', number>;
  /** repTask: an open task rep gave themselves, on repAccount. */
  tasks: Record<'repTask', number>;
  /** repNotice: rep's unread reminder of repTask. */
  notifications: Record<'repNotice', number>;
  /** repSubmission: rep's forecast of this quarter's week, naming repOpp. */
  forecasts: Record<'repSubmission', number>;
  /** repVisit: a visit rep logged on repAccount yesterday, about repOpp. */
  activities: Record<'repVisit', number>;
  /** repReport: rep's weekly report of the week of 2020-11-30 (long past, so no suite's current week). */
  weeklyReports: Record<'repReport', number>;
  /** repCallback: repVisit drawn for a callback, open, assigned to the auditor. */
  callbacks: Record<'repCallback', number>;
}

export async function seedExtras(testApp: TestApp, fixture: Fixture): Promise<Extras> {
  const kysely = testApp.db.kysely;
  const now = Date.now();
  const ws = { workspaceId: fixture.workspaceId, adminId: fixture.users.admin.id };
  const { users } = fixture;
  const { repAccount } = fixture.accounts;
  const sales1 = { id: fixture.units.sales1 };
  const small = await kysely
    .selectFrom('sales_processes')
    .select('id')
    .where('workspace_id', '=', ws.workspaceId)
    .where('template_key', '=', 'small')
    .executeTakeFirstOrThrow();
  const stageIds = (
    await kysely
      .selectFrom('process_stages')
      .select('id')
      .where('process_id', '=', small.id)
      .orderBy('position')
      .execute()
  ).map((r) => r.id);
  const repOpp = (
    await kysely
      .insertInto('opportunities')
      .values({
        workspace_id: ws.workspaceId,
        account_id: repAccount,
        name: 'MES 一期',
        owner_id: users.rep.id,
        org_unit_id: sales1.id,
        amount: 50_000_00,
        status: 'open',
        expected_close_date: '2026-12-31',
        process_id: small.id,
        stage_id: stageIds[0]!,
        stage_entered_at: now,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  // Written past the services: the funnel's kept totals (which lists and reports read) follow.
  await rebuildFunnel(kysely, ws.workspaceId);
  await kysely
    .insertInto('opportunity_team')
    .values({
      workspace_id: ws.workspaceId,
      opportunity_id: repOpp,
      user_id: users.rep.id,
      team_role: 'sales_lead',
      created_at: now,
    })
    .execute();
  await kysely
    .insertInto('opportunity_stage_history')
    .values({
      workspace_id: ws.workspaceId,
      opportunity_id: repOpp,
      stage_id: stageIds[0]!,
      stage_name: '意向',
      probability: 20,
      entered_at: now,
      entered_by: users.rep.id,
    })
    .execute();
  const repRule = (
    await kysely
      .insertInto('territory_rules')
      .values({
        workspace_id: ws.workspaceId,
        province: '海南省',
        user_id: users.rep.id,
        active: 1,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const repImport = (
    await kysely
      .insertInto('import_jobs')
      .values({
        workspace_id: ws.workspaceId,
        user_id: users.rep.id,
        kind: 'accounts',
        file_name: 'a.csv',
        status: 'mapping',
        headers: '["名称"]',
        total_rows: 0,
        processed_rows: 0,
        error_count: 0,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const rep2Draft = (
    await kysely
      .insertInto('handovers')
      .values({
        workspace_id: ws.workspaceId,
        from_user_id: users.rep2.id,
        status: 'draft',
        created_by: ws.adminId,
        created_at: now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const repProof = (
    await kysely
      .insertInto('attachments')
      .values({
        workspace_id: ws.workspaceId,
        uploaded_by: users.rep.id,
        opportunity_id: repOpp,
        file_name: '需求确认函.pdf',
        content_type: 'application/pdf',
        size: 8,
        data: Buffer.from('%PDF-1.4'),
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const repTask = (
    await kysely
      .insertInto('tasks')
      .values({
        workspace_id: ws.workspaceId,
        title: '回访华为采购',
        assignee_id: users.rep.id,
        created_by: users.rep.id,
        due_date: '2026-12-31',
        status: 'open',
        source: 'manual',
        account_id: repAccount,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const repNotice = (
    await kysely
      .insertInto('notifications')
      .values({
        workspace_id: ws.workspaceId,
        user_id: users.rep.id,
        kind: 'task_due',
        dedupe_key: `task_due:${repTask}:2026-12-31`,
        subject_type: 'task',
        subject_id: repTask,
        subject_name: '回访华为采购',
        due_date: '2026-12-31',
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const repSubmission = (
    await kysely
      .insertInto('forecast_submissions')
      .values({
        workspace_id: ws.workspaceId,
        user_id: users.rep.id,
        org_unit_id: sales1.id,
        period: 'FY2026-Q4',
        week_start: '2026-11-30',
        commit_amount: 50_000_00,
        possible_amount: 0,
        quota: 0,
        realised: 0,
        forecast: 35_000_00,
        note: null,
        submitted_at: now,
        superseded_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await kysely
    .insertInto('forecast_submission_deals')
    .values({
      submission_id: repSubmission,
      workspace_id: ws.workspaceId,
      opportunity_id: repOpp,
      category: 'commit',
      amount: 50_000_00,
    })
    .execute();
  const repVisit = (
    await kysely
      .insertInto('activities')
      .values({
        workspace_id: ws.workspaceId,
        account_id: repAccount,
        opportunity_id: repOpp,
        owner_id: users.rep.id,
        type: 'visit',
        status: 'done',
        start_at: now - 86_400_000,
        subject: '需求调研',
        created_by: users.rep.id,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const repReport = (
    await kysely
      .insertInto('weekly_reports')
      .values({
        workspace_id: ws.workspaceId,
        user_id: users.rep.id,
        week_start: '2020-11-30',
        plan_visits: '拜访华为',
        plan_submitted_at: now,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const repCallback = (
    await kysely
      .insertInto('callbacks')
      .values({
        workspace_id: ws.workspaceId,
        period: '2020-11',
        rep_id: users.rep.id,
        activity_id: repVisit,
        account_id: repAccount,
        auditor_id: users.auditor.id,
        created_at: now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  return {
    callbacks: { repCallback },
    opportunities: { repOpp },
    processes: { small: { id: small.id, stageIds } },
    territories: { repRule },
    imports: { repImport },
    handovers: { rep2Draft },
    attachments: { repProof },
    tasks: { repTask },
    notifications: { repNotice },
    forecasts: { repSubmission },
    activities: { repVisit },
    weeklyReports: { repReport },
  };
}

/** A signed-in session made directly (no password hashing), resolved by the same code as a real one. */
export async function sessionCookie(testApp: TestApp, workspaceId: number, userId: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  await insertSession(testApp.db.kysely, {
    id: sessionIdOf(token),
    workspaceId,
    userId,
    now,
    expiresAt: now + testApp.config.sessionAbsoluteMs,
    ip: null,
    userAgent: 'test',
  });
  return `keyline_session=${token}`;
}

export async function loginCookie(testApp: TestApp, email: string, password = PASSWORD): Promise<string> {
  const res = await testApp.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed for ${email}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((x) => x.name === 'keyline_session');
  return `keyline_session=${cookie!.value}`;
}

export type Call = (
  method: InjectOptions['method'],
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<LightMyRequestResponse>;

/** A request function bound to a cookie (or none). */
export function client(testApp: TestApp, cookie?: string): Call {
  return (method, url, body, headers = {}) =>
    testApp.app.inject({
      method,
      url,
      headers: { ...(cookie ? { cookie } : {}), ...headers },
      ...(body !== undefined ? { payload: body as InjectOptions['payload'] } : {}),
    });
}

export const json = <T = Record<string, unknown>>(res: LightMyRequestResponse): T => res.json() as T;
