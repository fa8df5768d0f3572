/** The scale set's accounts and contacts (src/demo/scale-set.ts), set-based. */
import { sql } from 'kysely';
import type { ScaleContext } from './scale-set.ts';
import { DAY, pick, run, scatter, series, word } from './scale-sql.ts';
import { wordCount } from './scale-words.ts';

/** The first id of a table's rows in the workspace, checking the ids are contiguous (a fresh set, one statement). */
export async function firstId(ctx: ScaleContext, table: string, expected: number): Promise<number> {
  const { rows } = await sql<{
    low: number;
    high: number;
    n: number;
  }>`select min(id) as low, max(id) as high, count(*) as n from ${sql.table(
    table,
  )} where workspace_id = ${ctx.workspaceId}`.execute(ctx.db);
  const row = rows[0]!;
  if (Number(row.n) !== expected || Number(row.high) - Number(row.low) + 1 !== expected)
    throw new Error(
      `scale set: ${table} holds ${row.n} rows, ids ${row.low}–${row.high}; expected ${expected} in a row`,
    );
  return Number(row.low);
}

/**
 * Names are city + a two-character brand + a trade + 有限公司, every combination once (a
 * permutation of the row number), numbered past 218,880 accounts. The city is a place prefix
 * companyNameKey drops, so name_key is brand + trade (+ number), as the app computes it.
 */
export async function insertAccounts(ctx: ScaleContext): Promise<void> {
  const { workspaceId: ws, now, size, engine } = ctx;
  const cities = wordCount('city');
  const first = wordCount('brandFirst');
  const second = wordCount('brandSecond');
  const trades = wordCount('trade');
  const combinations = cities * first * second * trades;
  const number = `case when s.i > ${combinations} then cast((s.i - 1) / ${combinations} as text) else '' end`;
  const city = `s.p % ${cities}`;
  const trade = `(s.p / ${cities * first * second}) % ${trades}`;
  await run(
    ctx.db,
    `insert into accounts (workspace_id, name, name_key, credit_code, industry, province, city, district, size,
       lead_source, owner_id, org_unit_id, status, created_by, created_at, updated_at, version)
     select ${ws}, b.city || b.brand || '有限公司', b.brand, '91' || (1000000000000000 + b.i), b.industry, b.province,
       b.city_name, b.district, b.size, b.lead_source, r.user_id, r.unit_id, 'prospect', r.user_id, b.created, b.created, 1
     from (
       select s.i, s.created, ${word(engine, 'city', city)} as city, ${word(engine, 'province', city)} as province,
         ${word(engine, 'cityName', city)} as city_name, ${word(engine, 'district', city)} as district,
         ${word(engine, 'brandFirst', `(s.p / ${cities}) % ${first}`)} || ${word(engine, 'brandSecond', `(s.p / ${cities * first}) % ${second}`)}
           || ${word(engine, 'trade', trade)} || ${number} as brand,
         ${word(engine, 'industry', trade)} as industry, ${pick(engine, 'size', 's.i', 52)} as size, ${pick(engine, 'leadSource', 's.i', 53)} as lead_source,
         ${scatter('s.i', 54, size.reps)} as rep
       from (select i, ((i - 1) * 7919) % ${combinations} as p, ${now} - (800 + ${scatter('i', 51, 700)}) * ${DAY} as created
             from ${series(ctx.engine, size.accounts, 'n')}) s
     ) b
     join scale_reps r on r.k = b.rep`,
  );
  const firstAccount = await firstId(ctx, 'accounts', size.accounts);
  // Who has owned it since when (the record history every account starts with).
  await run(
    ctx.db,
    `insert into record_history (workspace_id, entity_type, entity_id, field, old_value, new_value, reason, actor_user_id, created_at)
     select workspace_id, 'account', id, 'owner', null, cast(owner_id as text), 'creator', owner_id, created_at
     from accounts where workspace_id = ${ws} and id >= ${firstAccount}`,
  );
}

/**
 * contactsPerAccount people per account; the first is the one the others report to. A mobile
 * each, an email for four in ten.
 */
export async function insertContacts(ctx: ScaleContext): Promise<void> {
  const { workspaceId: ws, size, engine } = ctx;
  const firstAccount = await firstId(ctx, 'accounts', size.accounts);
  const per = size.contactsPerAccount;
  await run(
    ctx.db,
    `insert into contacts (workspace_id, account_id, name, title, department, mobile, email, created_by, created_at, updated_at, version)
     select ${ws}, a.id, ${pick(engine, 'surname', 's.i', 63)} || ${pick(engine, 'given', 's.i', 64)}, ${pick(engine, 'title', 's.i', 65)},
       ${pick(engine, 'department', 's.i', 66)}, '1' || (3000000000 + ${scatter('s.i', 61, 900000000)}),
       case when ${scatter('s.i', 62, 10)} < 4 then 'c' || s.i || '@customer.example.cn' else null end,
       a.owner_id, a.created_at, a.created_at, 1
     from ${series(ctx.engine, size.accounts * per, 's')}
     join accounts a on a.id = ${firstAccount} + (s.i - 1) / ${per}`,
  );
  await run(
    ctx.db,
    `update contacts set reports_to_id = (select min(c2.id) from contacts c2 where c2.workspace_id = contacts.workspace_id and c2.account_id = contacts.account_id)
     where workspace_id = ${ws} and id <> (select min(c2.id) from contacts c2 where c2.workspace_id = contacts.workspace_id and c2.account_id = contacts.account_id)`,
  );
}
