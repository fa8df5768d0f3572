import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { companyNameKey } from '../domain/company-name.ts';
import { NAMED_CRITERIA } from '../domain/accounts.ts';
import type { DemoUser } from './company.ts';
import type { DemoAccount } from './accounts.ts';
import { DemoDeals } from './load-deals.ts';
import type { Random } from './random.ts';

const DAY = 86_400_000;

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

/**
 * The demo's accounts, each with its owner's history row, its contacts (their reporting lines
 * and buying roles), its deals (load-deals.ts) and, for some key accounts, the account plan.
 */
export async function loadAccounts(
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
  const deals = await DemoDeals.open(trx, workspaceId, rng, now);
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

    const side = {
      account,
      accountId,
      createdAt,
      ownerId,
      unitId: unitIds.get(owner.unit)!.id,
      presalesId: presales && userIds.get(presales),
      branchManagerId: branchManager && userIds.get(branchManager),
    };
    for (const purchase of account.purchases) {
      await deals.insert(side, purchase);
      opportunities++;
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
  await deals.finish();
  return { contacts, opportunities };
}
