import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { defaultExportPermission } from '../domain/policy.ts';
import { insertUnit } from '../modules/org/repository.ts';
import { insertUser } from '../modules/users/repository.ts';
import { insertRule } from '../modules/territories/repository.ts';
import type { DemoCompany, DemoUser } from './company.ts';
import { demoTerritories } from './territories.ts';

const DAY = 86_400_000;

/**
 * The demo company's structure in the new workspace: the admin's title and phone, the org tree
 * under the root unit, the users (all with the one documented password) and the territories.
 * Answers the ids each unit and user got, for the accounts they sell.
 */
export async function loadCompany(
  trx: Kysely<Database>,
  ws: { workspaceId: number; adminId: number; rootUnitId: number },
  company: DemoCompany,
  admin: DemoUser,
  passwordHash: string,
  now: number,
) {
  await trx.updateTable('users').set({ title: admin.title, phone: admin.phone }).where('id', '=', ws.adminId).execute();
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
  return { unitIds, userIds };
}
