import { randomBytes } from 'node:crypto';
import type { Role } from '../../src/domain/roles.ts';
import { hashPassword } from '../../src/modules/auth/password.ts';
import { insertUnit } from '../../src/modules/org/repository.ts';
import { insertUser } from '../../src/modules/users/repository.ts';
import { createWorkspace } from '../../src/modules/workspace/service.ts';
import { companyNameKey } from '../../src/domain/company-name.ts';
import type { TestApp } from './app.ts';

export const PASSWORD = 'test-password-1';
let sharedHash: Promise<string> | undefined;
const passwordHash = () => (sharedHash ??= hashPassword(PASSWORD));

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
