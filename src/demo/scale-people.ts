/** The scale set's organisation and people (src/demo/scale-set.ts): units, users and the reps' lookup table. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ScaleContext } from './scale-set.ts';
import { run } from './scale-sql.ts';

const TEAM_SIZE = 10;

/**
 * The tree (group → regions → 4 branches → 5 teams) and its people: ten reps and a manager per
 * team, a manager and a presales engineer per branch, a manager per region, one executive. The
 * first region's manager and first rep sign in as the demo's manager@ and rep@.
 */
export async function insertPeople(
  conn: Kysely<Database>,
  ctx: ScaleContext,
  rootUnitId: number,
  passwordHash: string,
): Promise<{ units: number; users: number }> {
  const db = conn;
  const { workspaceId, now } = ctx;
  const teams = Math.ceil(ctx.size.reps / TEAM_SIZE);
  const branches = Math.ceil(teams / 5);
  const regions = Math.ceil(branches / 4);
  const rootPath = `/${rootUnitId}/`;
  const insertUnits = async (rows: { parent: { id: number; path: string }; name: string; type: string }[]) => {
    const out: { id: number; path: string }[] = [];
    for (const [index, row] of rows.entries()) {
      const { id } = await db
        .insertInto('org_units')
        .values({
          workspace_id: workspaceId,
          parent_id: row.parent.id,
          name: row.name,
          type: row.type,
          path: '/pending/',
          sort_order: index,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const path = `${row.parent.path}${id}/`;
      await db.updateTable('org_units').set({ path }).where('id', '=', id).execute();
      out.push({ id, path });
    }
    return out;
  };
  const regionUnits = await insertUnits(
    Array.from({ length: regions }, (_, region) => ({
      parent: { id: rootUnitId, path: rootPath },
      name: `第${region + 1}大区`,
      type: 'region',
    })),
  );
  const branchUnits = await insertUnits(
    Array.from({ length: branches }, (_, branch) => ({
      parent: regionUnits[Math.floor(branch / 4)]!,
      name: `分公司${Math.floor(branch / 4) + 1}-${(branch % 4) + 1}`,
      type: 'branch',
    })),
  );
  const teamUnits = await insertUnits(
    Array.from({ length: teams }, (_, team) => ({
      parent: branchUnits[Math.floor(team / 5)]!,
      name: `销售${(team % 5) + 1}部`,
      type: 'team',
    })),
  );
  type Person = { email: string; name: string; role: string; unit: number; title: string };
  const people: Person[] = [
    { email: 'director@demo.keyline.dev', name: '陈建华', role: 'executive', unit: rootUnitId, title: '销售副总裁' },
  ];
  regionUnits.forEach((unit, region) =>
    people.push({
      email: region === 0 ? 'manager@demo.keyline.dev' : `manager.r${region}@scale.keyline.dev`,
      name: `大区经理${region + 1}`,
      role: 'manager',
      unit: unit.id,
      title: '大区总经理',
    }),
  );
  branchUnits.forEach((unit, branch) => {
    people.push({
      email: `manager.b${branch}@scale.keyline.dev`,
      name: `分公司经理${branch + 1}`,
      role: 'manager',
      unit: unit.id,
      title: '分公司总经理',
    });
    people.push({
      email: `presales.b${branch}@scale.keyline.dev`,
      name: `售前${branch + 1}`,
      role: 'presales',
      unit: unit.id,
      title: '售前工程师',
    });
  });
  teamUnits.forEach((unit, team) =>
    people.push({
      email: `manager.t${team}@scale.keyline.dev`,
      name: `销售经理${team + 1}`,
      role: 'manager',
      unit: unit.id,
      title: '销售经理',
    }),
  );
  for (let k = 0; k < ctx.size.reps; k++)
    people.push({
      email: k === 0 ? 'rep@demo.keyline.dev' : `rep${k}@scale.keyline.dev`,
      name: `销售${k + 1}`,
      role: 'rep',
      unit: teamUnits[Math.floor(k / TEAM_SIZE)]!.id,
      title: '客户经理',
    });
  const ids = new Map<string, number>();
  for (let i = 0; i < people.length; i += 400) {
    const inserted = await db
      .insertInto('users')
      .values(
        people.slice(i, i + 400).map((person) => ({
          workspace_id: workspaceId,
          org_unit_id: person.unit,
          email: person.email,
          name: person.name,
          role: person.role,
          title: person.title,
          password_hash: passwordHash,
          active: 1,
          locale: 'zh-CN',
          can_export: person.role === 'rep' ? 0 : 1,
          created_at: now,
          updated_at: now,
          version: 1,
        })),
      )
      .returning(['id', 'email'])
      .execute();
    for (const row of inserted) ids.set(row.email, row.id);
  }
  // Rep k, their team and their branch's presales engineer, for the inserts to join by number.
  await run(
    conn,
    'create temporary table scale_reps (k integer primary key, user_id integer not null, unit_id integer not null, presales_id integer not null)',
  );
  const reps = people.filter((p) => p.role === 'rep');
  for (let i = 0; i < reps.length; i += 400)
    await sql`insert into scale_reps (k, user_id, unit_id, presales_id) values ${sql.join(
      reps.slice(i, i + 400).map((rep, offset) => {
        const number = i + offset;
        const branch = Math.floor(Math.floor(number / TEAM_SIZE) / 5);
        return sql`(${number}, ${ids.get(rep.email)!}, ${rep.unit}, ${ids.get(`presales.b${branch}@scale.keyline.dev`)!})`;
      }),
    )}`.execute(conn);
  await run(conn, 'create index scale_reps_user on scale_reps (user_id)');
  return { units: 1 + regions + branches + teams, users: people.length + 1 };
}
