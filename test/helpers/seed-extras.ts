import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';
import type { TestApp } from './app.ts';
import type { Fixture } from './seed-workspace.ts';

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
