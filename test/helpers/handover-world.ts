import { client, createTestApp, json, seedWorkspace, sessionCookie, type Call, type Fixture } from './app.ts';
import type { Engine } from '../../src/db/dialect.ts';
import { insertUser } from '../../src/modules/users/repository.ts';
import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';
import type { HandoverDetail as Detail } from '../../src/contracts/handovers.ts';

/**
 * The world of the handover suites (test/api/handover-drafting, handover-completion): workspace A
 * and another one, a colleague of the departing rep in 销售一部, and what the rep owns or takes
 * part in (a key account, a plain one, an opportunity in a process with a team seat the colleague
 * shares, a relationship, a territory), the funnel's totals rebuilt. Each suite makes its own.
 */
export async function handoverWorld(engine: Engine) {
  const testApp = await createTestApp(engine);
  const kysely = () => testApp.db.kysely;
  const now = Date.now();
  const fixtureA = await seedWorkspace(testApp, 'ho');
  const fixtureB = await seedWorkspace(testApp, 'other');
  const as = async (who: keyof Fixture['users'] | number, field: Fixture = fixtureA): Promise<Call> =>
    client(
      testApp,
      await sessionCookie(testApp, field.workspaceId, typeof who === 'number' ? who : field.users[who].id),
    );
  const hash = (
    await kysely()
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', fixtureA.users.rep.id)
      .executeTakeFirstOrThrow()
  ).password_hash;
  const colleague = await insertUser(kysely(), {
    workspaceId: fixtureA.workspaceId,
    orgUnitId: fixtureA.units.sales1,
    email: `colleague-${engine}-${now}@ho.test`,
    name: '同事',
    role: 'rep',
    title: null,
    phone: null,
    passwordHash: hash,
    locale: 'zh-CN',
    canExport: false,
    now,
  });
  // What the departing rep owns or takes part in: a key account, a plain one, an opportunity with a team seat, a relationship, a territory.
  await kysely().updateTable('accounts').set({ tier: 'A' }).where('id', '=', fixtureA.accounts.repAccount).execute();
  await kysely()
    .insertInto('accounts')
    .values({
      workspace_id: fixtureA.workspaceId,
      name: '普通客户',
      name_key: '普通客户',
      owner_id: fixtureA.users.rep.id,
      org_unit_id: fixtureA.units.sales1,
      tier: 'C',
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
  const oppId = (
    await kysely()
      .insertInto('opportunities')
      .values({
        workspace_id: fixtureA.workspaceId,
        account_id: fixtureA.accounts.repAccount,
        name: '数字化工厂项目',
        owner_id: fixtureA.users.rep.id,
        org_unit_id: fixtureA.units.sales1,
        amount: 150_000_00,
        status: 'open',
        expected_close_date: null,
        closed_at: null,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await kysely()
    .insertInto('opportunity_team')
    .values({
      workspace_id: fixtureA.workspaceId,
      opportunity_id: oppId,
      user_id: fixtureA.users.rep.id,
      team_role: 'sales_lead',
      created_at: now,
    })
    .execute();
  // The colleague already sits on this team too: the departing seat must fold into theirs.
  await kysely()
    .insertInto('opportunity_team')
    .values({
      workspace_id: fixtureA.workspaceId,
      opportunity_id: oppId,
      user_id: colleague,
      team_role: 'commercial',
      created_at: now,
    })
    .execute();
  await kysely()
    .updateTable('buying_roles')
    .set({ holder_user_id: fixtureA.users.rep.id })
    .where('id', '=', fixtureA.buyingRoles.repRole)
    .execute();
  await kysely()
    .insertInto('territory_rules')
    .values({
      workspace_id: fixtureA.workspaceId,
      name: '上海制造业',
      province: '上海',
      industry: 'manufacturing',
      user_id: fixtureA.users.rep.id,
      active: 1,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
  // In a process, so the funnel's totals count it (and must follow it to the successor).
  const small = await kysely()
    .selectFrom('sales_processes')
    .select('id')
    .where('workspace_id', '=', fixtureA.workspaceId)
    .where('template_key', '=', 'small')
    .executeTakeFirstOrThrow();
  const first = await kysely()
    .selectFrom('process_stages')
    .select('id')
    .where('process_id', '=', small.id)
    .orderBy('position')
    .executeTakeFirstOrThrow();
  await kysely()
    .updateTable('opportunities')
    .set({ process_id: small.id, stage_id: first.id, expected_close_date: '2027-03-31' })
    .where('id', '=', oppId)
    .execute();
  await rebuildFunnel(kysely(), fixtureA.workspaceId);
  return { testApp, fixtureA, fixtureB, colleague, oppId, as };
}

export type HandoverWorld = Awaited<ReturnType<typeof handoverWorld>>;

/**
 * The rep's handover made ready to complete as the drafting suite leaves it: started by the
 * manager, everything to the colleague and then the relationship to presales, the key account's
 * note complete and a note on the plain account too.
 */
export async function readyHandover(world: HandoverWorld): Promise<Detail> {
  const asManager = await world.as('manager');
  const { fixtureA, colleague } = world;
  const draft = json<Detail>(await asManager('POST', '/api/v1/handovers', { fromUserId: fixtureA.users.rep.id }));
  const rel = draft.items.find((i) => i.category === 'relationship')!;
  const key = draft.items.find((i) => i.keyAccount)!;
  const plain = draft.items.find((i) => i.category === 'account' && !i.keyAccount)!;
  const changes: [string, string, unknown][] = [
    ['PATCH', 'items', { items: draft.items.map((i) => ({ itemId: i.id, toUserId: colleague })) }],
    ['PATCH', 'items', { items: [{ itemId: rel.id, toUserId: fixtureA.users.presales.id }] }],
    [
      'PUT',
      `items/${key.id}/note`,
      {
        state: '二期合同执行中，回款正常',
        openIssues: '验收报告待签字',
        keyContacts: '采购总监任正：每周沟通',
        contactIds: [fixtureA.contacts.repContact],
      },
    ],
    ['PUT', `items/${plain.id}/note`, { state: 'a', openIssues: 'b', keyContacts: 'c' }],
  ];
  for (const [method, path, body] of changes) {
    const res = await asManager(method as 'PUT', `/api/v1/handovers/${draft.id}/${path}`, body);
    if (res.statusCode !== 200) throw new Error(`${method} ${path}: ${res.statusCode} ${res.body}`);
  }
  const ready = json<Detail>(await asManager('GET', `/api/v1/handovers/${draft.id}`));
  if (ready.missing.length) throw new Error(`not ready: ${JSON.stringify(ready.missing)}`);
  return ready;
}
