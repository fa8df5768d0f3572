import type { Db } from '../db/database.ts';
import { hashPassword } from '../modules/auth/password.ts';
import { insertUnit } from '../modules/org/repository.ts';
import { insertUser } from '../modules/users/repository.ts';
import { createWorkspace, countWorkspaces } from '../modules/workspace/service.ts';
import { defaultExportPermission } from '../domain/policy.ts';
import { DEMO_PASSWORD, DEMO_WORKSPACE, generateDemoCompany } from './company.ts';

export interface DemoSummary {
  workspaceId: number;
  units: number;
  users: number;
}

/**
 * Loads the demo company into an empty database, in one transaction. Refuses a database
 * that already holds a workspace: demo data never mixes with a real company's.
 */
export async function loadDemo(db: Db, opts: { seed?: number; scale?: number; force?: boolean } = {}): Promise<DemoSummary> {
  if (!opts.force && (await countWorkspaces(db.kysely)) > 0) {
    throw new Error('the database already holds a workspace; the demo loads only into an empty database');
  }
  const company = generateDemoCompany(opts);
  // One hash for every demo user: they all share the documented password.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const admin = company.users.find((u) => u.role === 'admin')!;
  const now = Date.now();
  return db.kysely.transaction().execute(async (trx) => {
    const ws = await createWorkspace(trx, { name: DEMO_WORKSPACE, admin: { email: admin.email, name: admin.name, passwordHash } }, now);
    await trx.updateTable('users').set({ title: admin.title, phone: admin.phone }).where('id', '=', ws.adminId).execute();
    const unitIds = new Map<string, { id: number; path: string }>([['root', { id: ws.rootUnitId, path: `/${ws.rootUnitId}/` }]]);
    let order = 0;
    for (const u of company.units) {
      if (u.parent === null) continue;
      const parent = unitIds.get(u.parent)!;
      const id = await insertUnit(trx, { workspaceId: ws.workspaceId, parentId: parent.id, parentPath: parent.path, name: u.name, type: u.type, sortOrder: order++, now });
      unitIds.set(u.key, { id, path: `${parent.path}${id}/` });
    }
    for (const u of company.users) {
      if (u === admin) continue;
      await insertUser(trx, {
        workspaceId: ws.workspaceId,
        orgUnitId: unitIds.get(u.unit)!.id,
        email: u.email,
        name: u.name,
        role: u.role,
        title: u.title,
        phone: u.phone,
        passwordHash,
        locale: 'zh-CN',
        canExport: defaultExportPermission(u.role),
        now,
      });
    }
    return { workspaceId: ws.workspaceId, units: company.units.length, users: company.users.length };
  });
}
