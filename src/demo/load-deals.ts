import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DemoAccount, DemoPurchase } from './accounts.ts';
import type { Random } from './random.ts';

const DAY = 86_400_000;

/**
 * Who won the demo's lost deals (docs/sales-process.md § The stage gate asks every loss for one), taken in turn rather than
 * drawn: another draw would shift the random sequence and so every demo record after it.
 */
const LOST_TO = ['西门子', 'ABB', '施耐德电气', '罗克韦尔', '西门子', 'ABB', 'none'] as const;

/** One account's side of its deals: who sells them, and who joins their teams. */
export interface DealSide {
  account: DemoAccount;
  accountId: number;
  /** When the account was created: its deals' stage history starts after. */
  createdAt: number;
  ownerId: number;
  unitId: number;
  /** The presales engineer's and the branch manager's user ids, where the branch has them. */
  presalesId: number | undefined;
  branchManagerId: number | undefined;
}

interface DealContext {
  trx: Kysely<Database>;
  workspaceId: number;
  /** The workspace's sales processes and all their stages in order, read once. */
  processes: Pick<Selectable<Database['sales_processes']>, 'id' | 'template_key'>[];
  stages: Selectable<Database['process_stages']>[];
  rng: Random;
  now: number;
}

/**
 * The demo's deals, one purchase at a time: the deal at its process's stage, its stage history
 * and its team. Each closed deal's status change, as closing it writes one (the audit trail and
 * timeline read it), is kept and inserted in batches at the end (finish).
 */
export class DemoDeals {
  private lostDeals = 0;
  private readonly closes: Insertable<Database['record_history']>[] = [];
  private readonly context: DealContext;

  private constructor(context: DealContext) {
    this.context = context;
  }

  static async open(trx: Kysely<Database>, workspaceId: number, rng: Random, now: number) {
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
    return new DemoDeals({ trx, workspaceId, processes, stages, rng, now });
  }

  private stagesOfProcess(key: string) {
    const { processes, stages } = this.context;
    const salesProcess = processes.find((x) => x.template_key === key)!;
    return { processId: salesProcess.id, stages: stages.filter((x) => x.process_id === salesProcess.id) };
  }

  async insert(side: DealSide, purchase: DemoPurchase) {
    const { trx, workspaceId, rng, now } = this.context;
    const { account, accountId, createdAt, ownerId, unitId, presalesId, branchManagerId } = side;
    // Which process sells it (docs/sales-process.md § Sales processes and stages): key accounts get the full seven steps, the public
    // sector P0–P7, the rest small or large by amount (docs/sales-process.md § The opportunity threshold 200,000).
    const template = ['government', 'education', 'healthcare'].includes(account.industry)
      ? 'p0_p7'
      : account.keyAccount
        ? 'seven_steps'
        : purchase.amount >= 200_000_00
          ? 'large'
          : 'small';
    const { processId, stages: path } = this.stagesOfProcess(template);
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
      org_unit_id: unitId,
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
        purchase.status === 'open' && hasPlan ? new Date(now + rng.int(-5, 14) * DAY).toISOString().slice(0, 10) : null,
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
          : LOST_TO[this.lostDeals++ % LOST_TO.length]!;
    const { id: oppId } = await trx
      .insertInto('opportunities')
      .values({ ...deal, close_competitor: competitor })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (closedAt !== null) {
      // As closeOpportunity writes it (a win through the stage gate carries no reason).
      this.closes.push({
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
    if (presalesId !== undefined && (account.keyAccount || purchase.amount > 500_000_00))
      team.push({ user: presalesId, role: 'presales' });
    // The branch's general manager sponsors the biggest key-account deals (docs/sales-process.md § The opportunity team roles).
    if (
      branchManagerId !== undefined &&
      account.keyAccount &&
      purchase.amount >= 1_000_000_00 &&
      branchManagerId !== ownerId
    )
      team.push({ user: branchManagerId, role: 'executive_sponsor' });
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

  async finish() {
    for (let i = 0; i < this.closes.length; i += 200)
      await this.context.trx
        .insertInto('record_history')
        .values(this.closes.slice(i, i + 200))
        .execute();
  }
}
