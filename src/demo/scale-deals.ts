/** The scale set's opportunities, their history and team, and the activities (src/demo/scale-set.ts), set-based. */
import { sql } from 'kysely';
import type { ScaleContext } from './scale-set.ts';
import { DAY, dayAt, pick, run, scatter, series } from './scale-sql.ts';
import { firstId } from './scale-accounts.ts';
import { DEFAULT_QUALIFYING_TYPES } from '../domain/activities.ts';
import { ANALYSIS_LIMIT } from '../db/statistics.ts';

const HOUR = 3_600_000;

async function analyze(ctx: ScaleContext, table = ''): Promise<void> {
  if (ctx.engine === 'sqlite') await run(ctx.db, `pragma analysis_limit = ${ANALYSIS_LIMIT}`);
  await run(ctx.db, `analyze ${table}`);
}
/** Which process sells a deal, by share in percent: most are small, a quarter large, key accounts and the public sector the rest. */
const PROCESS_SHARES = [
  ['small', 50],
  ['large', 25],
  ['seven_steps', 15],
  ['p0_p7', 10],
] as const;

/**
 * The workspace's processes and stages, numbered for the inserts to join: a process by its
 * share bucket k, a stage by its place n on the path (the won stage last, n = open_count).
 */
async function createStageTables(ctx: ScaleContext): Promise<void> {
  const { rows: stages } = await sql<{
    id: number;
    process_id: number;
    template_key: string | null;
    name: string;
    probability: number;
    is_won: number;
    buying_phase: string | null;
    evidence: string;
  }>`select s.id, s.process_id, p.template_key, s.name, s.probability, s.is_won, s.buying_phase, s.evidence
     from process_stages s join sales_processes p on p.id = s.process_id
     where s.workspace_id = ${ctx.workspaceId} order by s.process_id, s.is_won, s.position`.execute(ctx.db);
  await run(
    ctx.db,
    'create temporary table scale_processes (k integer primary key, process_id integer not null, open_count integer not null)',
  );
  await run(
    ctx.db,
    `create temporary table scale_stages (process_id integer not null, n integer not null, stage_id integer not null, name text not null,
       probability integer not null, buying_phase text, exit_evidence text not null, primary key (process_id, n))`,
  );
  await run(ctx.db, 'create index scale_stages_id on scale_stages (stage_id)');
  for (const [bucket, [key]] of PROCESS_SHARES.entries()) {
    const path = stages.filter((s) => s.template_key === key);
    const won = path.filter((s) => s.is_won === 1);
    if (won.length !== 1 || path.length < 2)
      throw new Error(`scale set: process ${key} needs open stages and one won stage`);
    const processId = path[0]!.process_id;
    await sql`insert into scale_processes (k, process_id, open_count) values (${bucket}, ${processId}, ${path.length - 1})`.execute(
      ctx.db,
    );
    for (const [place, stage] of path.entries()) {
      // What leaving the stage forward recorded: each piece of evidence it asks for, a note where it asks for one.
      const evidence = (JSON.parse(stage.evidence) as { key: string; requires: string }[]).map((piece) => ({
        stageId: stage.id,
        key: piece.key,
        note: piece.requires === 'note' ? '已确认' : null,
        attachmentId: null,
      }));
      await sql`insert into scale_stages (process_id, n, stage_id, name, probability, buying_phase, exit_evidence)
        values (${processId}, ${place}, ${stage.id}, ${stage.name}, ${stage.probability}, ${stage.buying_phase}, ${JSON.stringify(evidence)})`.execute(
        ctx.db,
      );
    }
  }
}

/** The process bucket of a share roll in [0, 100). */
function processBucket(roll: string): string {
  let upTo = 0;
  const arms = PROCESS_SHARES.slice(0, -1).map(([, share], bucket) => {
    upTo += share;
    return `when ${roll} < ${upTo} then ${bucket}`;
  });
  return `case ${arms.join(' ')} else ${PROCESS_SHARES.length - 1} end`;
}

/**
 * Opportunities: 35% won, 40% open, 25% lost, on random accounts and sold by their owners; an
 * open deal sits early in its process more often than late. Then each deal's path through
 * its stages, its team (the owner; the branch's presales engineer on deals of a million yuan
 * or more) and the status change of each closed deal.
 */
export async function insertDeals(ctx: ScaleContext, step: (name: string) => void): Promise<void> {
  const { workspaceId: ws, now, firstDay, size, engine } = ctx;
  await createStageTables(ctx);
  const firstAccount = await firstId(ctx, 'accounts', size.accounts);
  const today = Math.floor((now - firstDay) / DAY);
  const early = `case when ${scatter('d.i', 6, 'sp.open_count')} < ${scatter('d.i', 5, 'sp.open_count')} then ${scatter('d.i', 6, 'sp.open_count')} else ${scatter('d.i', 5, 'sp.open_count')} end`;
  await run(
    ctx.db,
    `insert into opportunities (workspace_id, account_id, name, owner_id, org_unit_id, amount, status, expected_close_date,
       closed_at, process_id, stage_id, stage_entered_at, lead_source, buying_phase, forecast_category, next_step,
       next_step_date, products, close_reason, close_competitor, contract_amount, created_at, updated_at, version)
     select ${ws}, a.id, substr(a.name, 3, 2) || ${pick(engine, 'product', 'd.i', 14)}, a.owner_id, a.org_unit_id, d.amount, d.status, ${dayAt('d.close_day')},
       d.closed_at, st.process_id, st.stage_id, d.entered, a.lead_source, st.buying_phase,
       case when d.status = 'won' then 'commit' when d.status = 'lost' then 'omitted' when st.probability >= 70 then 'commit'
            when st.probability >= 35 then 'possible' else 'pipeline' end,
       case when d.status = 'open' and ${scatter('d.i', 12, 4)} > 0 then ${pick(engine, 'nextStep', 'd.i', 15)} end,
       case when d.status = 'open' and ${scatter('d.i', 12, 4)} > 0 then ${dayAt(`${today} - 5 + ${scatter('d.i', 13, 20)}`)} end,
       ${pick(engine, 'products', 'd.i', 14)},
       case when d.status = 'lost' then d.close_reason end,
       case when d.status <> 'lost' then null when d.close_reason = 'no_decision' then 'none' else ${pick(engine, 'competitor', 'd.i', 17)} end,
       case when d.status = 'won' then d.amount end,
       d.created_at, coalesce(d.closed_at, d.entered), 1
     from (
       select e.*, ${pick(engine, 'closeReason', 'e.i', 16)} as close_reason,
         case when e.status = 'open' then ${now} - ${scatter('e.i', 8, 'case when e.age < 60 then e.age else 60 end')} * ${DAY}
              else e.closed_at end as entered,
         case when e.status = 'open' then ${today} + ${scatter('e.i', 9, 300)} - 45 else (e.closed_at - ${firstDay}) / ${DAY} end as close_day,
         case when e.pk = 0 then 1000000 + ${scatter('e.i', 10, 19_000_000)}
              else 20000000 + ${scatter('e.i', 10, 100)} * ${scatter('e.i', 11, 100)} * 50000 end as amount
       from (
         select c.*, case when c.status = 'open' then null else c.created_at + ${scatter('c.i', 7, 'c.age')} * ${DAY} + 10 * ${HOUR} end as closed_at
         from (
           select s.i, ${firstAccount} + ${scatter('s.i', 1, size.accounts)} as account_id,
             case when ${scatter('s.i', 2, 100)} < 35 then 'won' when ${scatter('s.i', 2, 100)} < 75 then 'open' else 'lost' end as status,
             ${processBucket(scatter('s.i', 3, 100))} as pk,
             20 + ${scatter('s.i', 4, 700)} as age,
             ${now} - (20 + ${scatter('s.i', 4, 700)}) * ${DAY} as created_at
           from ${series(ctx.engine, size.opportunities, 's')}
         ) c
       ) e
     ) d
     join accounts a on a.id = d.account_id
     join scale_processes sp on sp.k = d.pk
     join scale_stages st on st.process_id = sp.process_id and st.n = case when d.status = 'won' then sp.open_count else ${early} end
`,
  );
  step(`${size.opportunities} opportunities`);
  await run(
    ctx.db,
    `insert into opportunity_stage_history (workspace_id, opportunity_id, stage_id, stage_name, probability, entered_at, entered_by,
       left_at, left_by, exit_direction, exit_evidence)
     select o.workspace_id, o.id, ps.stage_id, ps.name, ps.probability,
       case when ps.n = cur.n then o.stage_entered_at else o.created_at + ps.n * ((o.stage_entered_at - o.created_at) / cur.n) end,
       o.owner_id,
       case when ps.n = cur.n then o.closed_at when ps.n + 1 = cur.n then o.stage_entered_at
            else o.created_at + (ps.n + 1) * ((o.stage_entered_at - o.created_at) / cur.n) end,
       case when ps.n = cur.n and o.status = 'open' then null else o.owner_id end,
       case when ps.n < cur.n then 'forward' when o.status = 'open' then null else 'closed' end,
       case when ps.n < cur.n then ps.exit_evidence end
     from opportunities o
     join scale_stages cur on cur.stage_id = o.stage_id
     join scale_stages ps on ps.process_id = cur.process_id and ps.n <= cur.n
     where o.workspace_id = ${ws}`,
  );
  step('stage history');
  await run(
    ctx.db,
    `insert into opportunity_team (workspace_id, opportunity_id, user_id, team_role, created_at)
     select workspace_id, id, owner_id, 'sales_lead', created_at from opportunities where workspace_id = ${ws}`,
  );
  await run(
    ctx.db,
    `insert into opportunity_team (workspace_id, opportunity_id, user_id, team_role, created_at)
     select o.workspace_id, o.id, r.presales_id, 'presales', o.created_at
     from opportunities o join scale_reps r on r.user_id = o.owner_id
     where o.workspace_id = ${ws} and o.amount >= 100000000`,
  );
  // As closing a deal writes it (the timeline and audit trail read it).
  await run(
    ctx.db,
    `insert into record_history (workspace_id, entity_type, entity_id, field, old_value, new_value, reason, actor_user_id, created_at)
     select workspace_id, 'opportunity', id, 'status', 'open', status,
       case when status = 'lost' then close_reason || ' · competitor: ' || close_competitor end, owner_id, closed_at
     from opportunities where workspace_id = ${ws} and status <> 'open'`,
  );
  step('teams and closing history');
}

/**
 * Activities: three in five on deals (spread over each deal's life, by its owner), the rest on
 * accounts over the last two years; those still ahead are planned, one in twenty of the past
 * ones cancelled. A third name the account's first contact. Then each account's last
 * follow-up and status (customer once it has won a deal), as the app keeps them.
 */
export async function insertActivities(
  ctx: ScaleContext,
  step: (name: string) => void,
  rebuildIndexes: () => Promise<void>,
): Promise<void> {
  const { workspaceId: ws, now, size, engine } = ctx;
  const perDeal = size.opportunities ? Math.floor((size.activities * 0.6) / size.opportunities) : 0;
  const onAccounts = size.activities - perDeal * size.opportunities;
  const firstAccount = await firstId(ctx, 'accounts', size.accounts);
  await run(ctx.db, 'create temporary table scale_n (i integer primary key)');
  if (perDeal > 0) await run(ctx.db, `insert into scale_n (i) select i from ${series(ctx.engine, perDeal, 's')}`);
  const columns = `insert into activities (workspace_id, account_id, opportunity_id, owner_id, type, status, start_at, end_at, subject,
       outcome, created_by, created_at, updated_at, version)`;
  const values = (
    key: string,
  ) => `select ${ws}, v.account_id, v.opportunity_id, v.owner_id, ${pick(engine, 'activityType', key, 23)},
       case when v.start_at > ${now} then 'planned' when ${scatter(key, 22, 20)} = 0 then 'cancelled' else 'done' end,
       v.start_at, v.start_at + ${HOUR}, ${pick(engine, 'subject', key, 24)},
       case when v.start_at <= ${now} and ${scatter(key, 22, 20)} <> 0 then ${pick(engine, 'outcome', key, 25)} end,
       v.owner_id, case when v.start_at > ${now} then ${now} - ${DAY} else v.start_at end,
       case when v.start_at > ${now} then ${now} - ${DAY} else v.start_at end, 1`;
  if (perDeal > 0)
    await run(
      ctx.db,
      `${columns} ${values('v.k')}
       from (select o.account_id, o.id as opportunity_id, o.owner_id, o.id * 64 + n.i as k,
               o.created_at + ${scatter('o.id * 64 + n.i', 20, `(coalesce(o.closed_at, ${now + 14 * DAY}) - o.created_at) / ${DAY} + 1`)} * ${DAY}
                 + (9 + ${scatter('o.id * 64 + n.i', 21, 9)}) * ${HOUR} as start_at
             from opportunities o join scale_n n on n.i <= ${perDeal} where o.workspace_id = ${ws}) v`,
    );
  step(`${perDeal * size.opportunities} activities on deals`);
  await run(
    ctx.db,
    `${columns} ${values('v.k')}
     from (select a.id as account_id, cast(null as integer) as opportunity_id, a.owner_id, s.i as k,
             ${Math.floor(now / DAY) * DAY} - (${scatter('s.i', 30, 745)} - 14) * ${DAY} + (9 + ${scatter('s.i', 31, 9)}) * ${HOUR} as start_at
           from ${series(ctx.engine, onAccounts, 's')} join accounts a on a.id = ${firstAccount} + (s.i - 1) % ${size.accounts}) v`,
  );
  step(`${onAccounts} activities on accounts`);
  // Each activity's account's first contact, looked up in contacts' own index: with the
  // activities' indexes gone (src/demo/scale-bulk.ts) the planner cannot repeat what it did
  // without statistics when they were there — PostgreSQL ANDed the workspace's index of all
  // activities into every look-up (224 s at a tenth of the set, not done in 20 minutes at full).
  await analyze(ctx, 'contacts');
  await run(
    ctx.db,
    `insert into activity_contacts (activity_id, contact_id, workspace_id)
     select v.id, c.id, ${ws} from activities v
     join contacts c on c.workspace_id = ${ws} and c.account_id = v.account_id and c.reports_to_id is null
     where v.workspace_id = ${ws} and v.id % 3 = 0`,
  );
  step('activity contacts');
  await rebuildIndexes();
  step('indexes and foreign keys');
  // The update below looks up each account's activities and deals: without statistics SQLite
  // walked the (workspace_id, status) index of deals for every account. The other tables wait
  // for the statistics taken at the end.
  for (const table of ['accounts', 'activities', 'opportunities']) await analyze(ctx, table);
  step('planner statistics');
  const qualifying = DEFAULT_QUALIFYING_TYPES.map((t) => `'${t}'`).join(', ');
  await run(
    ctx.db,
    `update accounts set
       last_follow_up_at = (select max(v.start_at) from activities v where v.workspace_id = ${ws} and v.account_id = accounts.id
         and v.status = 'done' and v.archived_at is null and v.type in (${qualifying})),
       status = case when exists (select 1 from opportunities o where o.workspace_id = ${ws} and o.account_id = accounts.id and o.status = 'won')
         then 'customer' else 'prospect' end
     where workspace_id = ${ws}`,
  );
  step('follow-ups and account status');
}
