import type { Insertable, Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { companyNameKey } from '../domain/company-name.ts';
import { NAMED_CRITERIA } from '../domain/accounts.ts';
import { hashPassword } from '../modules/auth/password.ts';
import { insertUnit } from '../modules/org/repository.ts';
import { insertUser } from '../modules/users/repository.ts';
import { insertRule } from '../modules/territories/repository.ts';
import { createWorkspace, countWorkspaces } from '../modules/workspace/service.ts';
import { defaultExportPermission } from '../domain/policy.ts';
import { DEMO_PASSWORD, DEMO_WORKSPACE, generateDemoCompany, type DemoUser } from './company.ts';
import { generateDemoAccounts, type DemoAccount } from './accounts.ts';
import { seedDemoGroups } from './groups.ts';
import { PeoplePicker } from './people.ts';
import { seedDemoPoolAndHandover } from './handover.ts';
import { seedDemoOpportunityInsight } from './opportunity-insight.ts';
import { seedDemoActivities } from './activities.ts';
import { demoTerritories } from './territories.ts';
import { recomputeWorkspace } from '../modules/tiers/service.ts';
import { rebuildFunnel } from '../modules/funnel/upkeep.ts';
import { loadRules } from '../modules/workspace/service.ts';
import { seedDemoQuotas } from './quotas.ts';
import { seedDemoLines } from './lines.ts';
import { seedDemoForecasts } from './forecasts.ts';
import { seedDemoPaymentPlans } from './payment-plans.ts';
import { seedDemoCallbacks } from './callbacks.ts';
import { seedDemoWeeklyReports } from './weekly-reports.ts';
import { Random } from './random.ts';
import { refreshPlannerStatistics } from '../db/statistics.ts';

export interface DemoSummary {
  workspaceId: number;
  units: number;
  users: number;
  accounts: number;
  contacts: number;
  opportunities: number;
}

const DAY = 86_400_000;

/**
 * Who won the demo's lost deals (docs/sales-process.md § The stage gate asks every loss for one), taken in turn rather than
 * drawn: another draw would shift the random sequence and so every demo record after it.
 */
const LOST_TO = ['西门子', 'ABB', '施耐德电气', '罗克韦尔', '西门子', 'ABB', 'none'] as const;

/**
 * Loads the demo company into an empty database, in one transaction. Refuses a database
 * that already holds a workspace: demo data never mixes with a real company's.
 */
export async function loadDemo(
  db: Db,
  opts: { seed?: number; scale?: number; force?: boolean } = {},
): Promise<DemoSummary> {
  if (!opts.force && (await countWorkspaces(db.kysely)) > 0) {
    throw new Error('the database already holds a workspace; the demo loads only into an empty database');
  }
  const seed = opts.seed ?? 20261124;
  const scale = Math.max(0.1, opts.scale ?? 1);
  const company = generateDemoCompany({ seed, scale });
  const rng = new Random(seed + 1);
  const demoAccounts = generateDemoAccounts(rng, Math.round(300 * scale), new PeoplePicker(rng));
  // One hash for every demo user: they all share the documented password.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const admin = company.users.find((u) => u.role === 'admin')!;
  const now = Date.now();
  const summary = await db.kysely.transaction().execute(async (trx) => {
    const ws = await createWorkspace(
      trx,
      { name: DEMO_WORKSPACE, admin: { email: admin.email, name: admin.name, passwordHash } },
      now,
    );
    await trx
      .updateTable('users')
      .set({ title: admin.title, phone: admin.phone })
      .where('id', '=', ws.adminId)
      .execute();
    const unitIds = new Map<string, { id: number; path: string }>([
      ['root', { id: ws.rootUnitId, path: `/${ws.rootUnitId}/` }],
    ]);
    let order = 0;
    for (const unit of company.units) {
      if (unit.parent === null) continue;
      const parent = unitIds.get(unit.parent)!;
      const id = await insertUnit(trx, {
        workspaceId: ws.workspaceId,
        parentId: parent.id,
        parentPath: parent.path,
        name: unit.name,
        type: unit.type,
        sortOrder: order++,
        now,
      });
      unitIds.set(unit.key, { id, path: `${parent.path}${id}/` });
    }
    const userIds = new Map<DemoUser, number>([[admin, ws.adminId]]);
    for (const user of company.users) {
      if (user === admin) continue;
      userIds.set(
        user,
        await insertUser(trx, {
          workspaceId: ws.workspaceId,
          orgUnitId: unitIds.get(user.unit)!.id,
          email: user.email,
          name: user.name,
          role: user.role,
          title: user.title,
          phone: user.phone,
          passwordHash,
          locale: 'zh-CN',
          canExport: defaultExportPermission(user.role),
          now,
        }),
      );
    }
    // Territories (docs/organisation.md) set up when the company was: a month before today.
    for (const territory of demoTerritories(company)) {
      await insertRule(trx, {
        workspaceId: ws.workspaceId,
        name: territory.name,
        place: { province: territory.province, city: territory.city, district: null, industry: territory.industry },
        userId: userIds.get(territory.rep)!,
        active: true,
        now: now - 30 * DAY,
      });
    }
    const counts = await loadAccounts(trx, ws.workspaceId, demoAccounts, company.users, userIds, unitIds, rng, now);
    return {
      workspaceId: ws.workspaceId,
      units: company.units.length,
      users: company.users.length,
      accounts: demoAccounts.length,
      ...counts,
    };
  });
  // Then what the nightly jobs would have done: ABC tiers from the purchase history, stale
  // accounts back in their pools — and one departed rep's completed handover.
  await seedDemoGroups(db.kysely, summary.workspaceId, now);
  await recomputeWorkspace(db, summary.workspaceId, null, now);
  await seedDemoPoolAndHandover(db, summary.workspaceId);
  // Qualification, SWOT, competitors, win strategies, pipeline reviews (docs/sales-process.md, §5.5, §5.6).
  await seedDemoOpportunityInsight(db.kysely, summary.workspaceId, seed, now);
  // A year of activities, visit plans and reviews, tasks and 1-15-30 checkpoints (docs/rhythm.md).
  await seedDemoActivities(db.kysely, summary.workspaceId, seed, now);
  // The business lines its products fall into, then — the deals were bulk-inserted — the funnel's
  // totals counted once, each deal stamped with its line (docs/targets.md § Funnel, § Business lines).
  await seedDemoLines(db.kysely, summary.workspaceId);
  await rebuildFunnel(db.kysely, summary.workspaceId);
  // A year of quotas, set against what each rep has won so far (docs/targets.md § Quotas).
  await seedDemoQuotas(
    db.kysely,
    summary.workspaceId,
    seed,
    now,
    (await loadRules(db.kysely, summary.workspaceId)).calendar,
  );
  // Weekly forecasts of the last quarter (docs/targets.md § Weekly submissions), after the quotas they are measured against.
  await seedDemoForecasts(db.kysely, summary.workspaceId, seed, now);
  // Payment plans of the large deals, for the funnel's expected collections (docs/targets.md § Expected collections).
  await seedDemoPaymentPlans(db.kysely, summary.workspaceId, seed, now);
  await seedDemoCallbacks(db, summary.workspaceId, seed, now);
  // Weekly plans and summaries of the last weeks, with comments and this week's missing ones (docs/rhythm.md).
  await seedDemoWeeklyReports(db.kysely, summary.workspaceId, seed, now);
  await refreshPlannerStatistics(db, 'bulk');
  return summary;
}

/** Reps who sell in a branch: its key-account department first for key accounts. */
function sellersFor(branch: string, keyAccount: boolean, users: DemoUser[]): DemoUser[] {
  const reps = users.filter((u) => u.role === 'rep' && u.unit.startsWith(`${branch}-`));
  const ka = reps.filter((u) => u.unit.endsWith('-ka'));
  const regular = reps.filter((u) => !u.unit.endsWith('-ka'));
  if (keyAccount && ka.length) return ka;
  return regular.length ? regular : reps;
}

const REGION_OF_BRANCH: Record<string, string> = {
  sh: 'east',
  hz: 'east',
  nj: 'east',
  gz: 'south',
  sz: 'south',
  bj: 'north',
  tj: 'north',
};

async function loadAccounts(
  trx: Kysely<Database>,
  workspaceId: number,
  accounts: DemoAccount[],
  users: DemoUser[],
  userIds: Map<DemoUser, number>,
  unitIds: Map<string, { id: number; path: string }>,
  rng: Random,
  now: number,
): Promise<{ contacts: number; opportunities: number }> {
  let contacts = 0;
  let opportunities = 0;
  let lostDeals = 0;
  // Each closed deal's status change, as closing it writes one (the audit trail and timeline read it); inserted in batches at the end.
  const closes: Insertable<Database['record_history']>[] = [];
  const processes = await trx
    .selectFrom('sales_processes')
    .select(['id', 'template_key'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  const stages = await trx
    .selectFrom('process_stages')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('position')
    .execute();
  const stagesOfProcess = (key: string) => {
    const salesProcess = processes.find((x) => x.template_key === key)!;
    return { processId: salesProcess.id, stages: stages.filter((x) => x.process_id === salesProcess.id) };
  };
  for (const account of accounts) {
    const owner = rng.pick(sellersFor(account.branch, account.keyAccount, users));
    const ownerId = userIds.get(owner)!;
    // The branch's own presales engineer when it has one (上海: 张伟, the documented sign-in), else the region's.
    const presales =
      users.find((u) => u.role === 'presales' && u.unit === account.branch) ??
      users.find((u) => u.role === 'presales' && u.unit === REGION_OF_BRANCH[account.branch]);
    const branchManager = users.find((u) => u.role === 'manager' && u.unit === account.branch);
    const createdAt = now - account.createdDaysAgo * DAY;
    const criteria = account.named ? Object.fromEntries(NAMED_CRITERIA.map((c) => [c, rng.next() < 0.8])) : {};
    const { id: accountId } = await trx
      .insertInto('accounts')
      .values({
        workspace_id: workspaceId,
        name: account.name,
        name_key: companyNameKey(account.name),
        credit_code: account.creditCode,
        industry: account.industry,
        province: account.province,
        city: account.city,
        district: account.district,
        size: account.size,
        lead_source: account.leadSource,
        owner_id: ownerId,
        org_unit_id: unitIds.get(owner.unit)!.id,
        status: account.status,
        named_account: account.named ? 1 : 0,
        named_criteria: JSON.stringify(criteria),
        last_follow_up_at: account.lastFollowUpDaysAgo === null ? null : now - account.lastFollowUpDaysAgo * DAY,
        created_by: ownerId,
        created_at: createdAt,
        updated_at: createdAt,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('record_history')
      .values({
        workspace_id: workspaceId,
        entity_type: 'account',
        entity_id: accountId,
        field: 'owner',
        old_value: null,
        new_value: String(ownerId),
        reason: 'creator',
        actor_user_id: ownerId,
        created_at: createdAt,
      })
      .execute();

    // Contacts in one insert; their reporting lines and roles once the ids are known.
    const rows = await trx
      .insertInto('contacts')
      .values(
        account.contacts.map((contact) => ({
          workspace_id: workspaceId,
          account_id: accountId,
          name: contact.name,
          title: contact.title,
          department: contact.department,
          mobile: contact.mobile,
          email: contact.email,
          wechat: contact.wechat,
          notes: contact.notes,
          birthday: contact.birthday,
          created_by: ownerId,
          created_at: createdAt,
          updated_at: createdAt,
          version: 1,
        })),
      )
      .returning('id')
      .execute();
    const ids = rows.map((r) => r.id);
    contacts += ids.length;
    for (const [index, contact] of account.contacts.entries()) {
      if (contact.reportsTo !== null)
        await trx
          .updateTable('contacts')
          .set({ reports_to_id: ids[contact.reportsTo]! })
          .where('id', '=', ids[index]!)
          .execute();
    }
    const roles = account.contacts.flatMap((c, i) => (c.role ? [{ c, i, role: c.role }] : []));
    if (roles.length) {
      await trx
        .insertInto('buying_roles')
        .values(
          roles.map(({ i: index, role }) => ({
            workspace_id: workspaceId,
            account_id: accountId,
            opportunity_id: null,
            contact_id: ids[index]!,
            role: role.role,
            attitude: role.attitude,
            influence: role.influence,
            relationship: role.relationship,
            holder_user_id:
              role.relationship >= 3
                ? role.role === 'technical' && presales
                  ? userIds.get(presales)!
                  : ownerId
                : rng.next() < 0.5
                  ? ownerId
                  : null,
            created_at: createdAt,
            updated_at: createdAt,
            version: 1,
          })),
        )
        .execute();
    }

    for (const purchase of account.purchases) {
      // Which process sells it (docs/sales-process.md § Sales processes and stages): key accounts get the full seven steps, the public
      // sector P0–P7, the rest small or large by amount (docs/sales-process.md § The opportunity threshold 200,000).
      const template = ['government', 'education', 'healthcare'].includes(account.industry)
        ? 'p0_p7'
        : account.keyAccount
          ? 'seven_steps'
          : purchase.amount >= 200_000_00
            ? 'large'
            : 'small';
      const { processId, stages: path } = stagesOfProcess(template);
      const open = path.filter((x) => x.is_won === 0);
      const stage =
        purchase.status === 'won'
          ? path.at(-1)!
          : open[Math.min(open.length - 1, Math.floor(rng.next() ** 1.6 * open.length))]!;
      const closedAt = purchase.status === 'open' ? null : now - purchase.daysAgo * DAY;
      const close = new Date(now - purchase.daysAgo * DAY).toISOString().slice(0, 10);
      const daysInStage = rng.int(1, 45);
      const stageEnteredAt = (closedAt ?? now) - (purchase.status === 'open' ? daysInStage : 0) * DAY;
      // A closed deal's category: won is what was committed, lost and abandoned leave the forecast.
      const forecast =
        purchase.status === 'won'
          ? 'commit'
          : purchase.status !== 'open'
            ? 'omitted'
            : stage.probability >= 70
              ? 'commit'
              : stage.probability >= 35
                ? 'possible'
                : 'pipeline';
      // The stage history up to the current stage, a couple of weeks per stage before it — squeezed
      // when the account is younger than that — and the deal created when it entered the first stage.
      const upTo = path.filter((x) => x.position <= stage.position);
      const firstEntered = Math.min(
        stageEnteredAt,
        Math.max(createdAt + DAY, stageEnteredAt - (upTo.length - 1) * 14 * DAY),
      );
      const step = upTo.length > 1 ? Math.floor((stageEnteredAt - firstEntered) / (upTo.length - 1)) : 0;
      const hasPlan = rng.next() < 0.75;
      // Built before the insert, in the same order as ever: its draws keep the random sequence.
      const deal = {
        workspace_id: workspaceId,
        account_id: accountId,
        name: `${account.name.replace(/(股份|集团)?有限公司$/, '')} ${purchase.name}`,
        owner_id: ownerId,
        org_unit_id: unitIds.get(owner.unit)!.id,
        amount: purchase.amount,
        status: purchase.status,
        expected_close_date: close,
        closed_at: closedAt,
        process_id: processId,
        stage_id: stage.id,
        stage_entered_at: stageEnteredAt,
        lead_source: account.leadSource,
        products: JSON.stringify([purchase.name.replace(/项目$/, '')]),
        buying_phase: rng.next() < 0.15 ? 'aware' : stage.buying_phase,
        forecast_category: forecast,
        next_step:
          purchase.status === 'open' && hasPlan
            ? rng.pick(['技术交流会', '方案汇报', '高层拜访', '商务谈判', '参观样板工厂', '提交报价'])
            : null,
        next_step_date:
          purchase.status === 'open' && hasPlan
            ? new Date(now + rng.int(-5, 14) * DAY).toISOString().slice(0, 10)
            : null,
        contract_amount: purchase.status === 'won' ? purchase.amount : null,
        close_reason:
          purchase.status === 'lost' ? rng.pick(['price', 'competitor', 'no_decision', 'relationship']) : null,
        created_at: firstEntered,
        updated_at: closedAt ?? stageEnteredAt,
        version: 1,
      };
      // No decision means the customer bought nothing: no competitor won.
      const competitor =
        purchase.status !== 'lost'
          ? null
          : deal.close_reason === 'no_decision'
            ? 'none'
            : LOST_TO[lostDeals++ % LOST_TO.length]!;
      const { id: oppId } = await trx
        .insertInto('opportunities')
        .values({ ...deal, close_competitor: competitor })
        .returning('id')
        .executeTakeFirstOrThrow();
      opportunities++;
      if (closedAt !== null) {
        // As closeOpportunity writes it (a win through the stage gate carries no reason).
        closes.push({
          workspace_id: workspaceId,
          entity_type: 'opportunity',
          entity_id: oppId,
          field: 'status',
          old_value: 'open',
          new_value: purchase.status,
          reason: competitor === null ? null : `${deal.close_reason} · competitor: ${competitor}`,
          actor_user_id: ownerId,
          created_at: closedAt,
        });
      }
      await trx
        .insertInto('opportunity_stage_history')
        .values(
          upTo.map((pathStage, index) => {
            const last = index === upTo.length - 1;
            const enteredAt = last ? stageEnteredAt : firstEntered + index * step;
            const row = {
              workspace_id: workspaceId,
              opportunity_id: oppId,
              stage_id: pathStage.id,
              stage_name: pathStage.name,
              probability: pathStage.probability,
              entered_at: enteredAt,
              entered_by: ownerId,
              left_at: last
                ? purchase.status === 'open'
                  ? null
                  : closedAt
                : index + 1 === upTo.length - 1
                  ? stageEnteredAt
                  : firstEntered + (index + 1) * step,
              left_by: last && purchase.status === 'open' ? null : ownerId,
              exit_direction: last ? (purchase.status === 'open' ? null : 'closed') : 'forward',
              exit_evidence: last
                ? null
                : JSON.stringify(
                    (JSON.parse(pathStage.evidence) as { key: string; requires: string }[]).map((err) => ({
                      stageId: pathStage.id,
                      key: err.key,
                      note: err.requires === 'note' ? '已确认' : null,
                      attachmentId: null,
                    })),
                  ),
            };
            return row;
          }),
        )
        .execute();
      const team = [{ user: ownerId, role: 'sales_lead' }];
      if (presales && (account.keyAccount || purchase.amount > 500_000_00))
        team.push({ user: userIds.get(presales)!, role: 'presales' });
      // The branch's general manager sponsors the biggest key-account deals (docs/sales-process.md § The opportunity team roles).
      if (
        branchManager &&
        account.keyAccount &&
        purchase.amount >= 1_000_000_00 &&
        userIds.get(branchManager) !== ownerId
      )
        team.push({ user: userIds.get(branchManager)!, role: 'executive_sponsor' });
      await trx
        .insertInto('opportunity_team')
        .values(
          team.map((teamItem) => ({
            workspace_id: workspaceId,
            opportunity_id: oppId,
            user_id: teamItem.user,
            team_role: teamItem.role,
            created_at: now,
          })),
        )
        .execute();
    }

    if (account.keyAccount && rng.next() < 0.6) {
      await trx
        .insertInto('account_profiles')
        .values({
          account_id: accountId,
          workspace_id: workspaceId,
          business_overview: `${account.name.replace(/有限公司$/, '')}是${account.city.replace(/市$/, '')}地区的重点${account.industry === 'electronics' ? '电子制造' : '制造'}企业，正在推进数字化工厂建设。`,
          organisation: '总经理负责最终决策；技术总监牵头选型；采购部负责商务谈判；财务总监审核预算。',
          decision_process: '立项 → 技术交流与方案评审 → 招标/比选 → 商务谈判 → 总经理办公会审批',
          budget_cycle: '每年 10 月编制下一年度预算，次年 3 月前完成重大项目立项',
          installed_base_ours: '一期 MES 系统（2024 年上线），两条产线的视觉检测工作站',
          installed_base_competitors: '西门子 PLC 与部分自动化产线；竞品的设备联网平台试点中',
          relationship_history: '2023 年通过行业展会结识技术总监；2024 年一期项目成交，客户满意度高。',
          plan_objectives: '今年完成二期产线改造立项，争取成为其数字化转型首选合作伙伴',
          plan_relationships: '提升与财务总监的关系至“信任”；争取总经理成为支持者',
          plan_resources: '售前顾问驻场两周；安排客户参观标杆工厂',
          plan_review_date: new Date(now + 30 * DAY).toISOString().slice(0, 10),
          updated_by: ownerId,
          updated_at: now,
          version: 1,
        })
        .execute();
    }
  }
  for (let i = 0; i < closes.length; i += 200)
    await trx
      .insertInto('record_history')
      .values(closes.slice(i, i + 200))
      .execute();
  return { contacts, opportunities };
}
