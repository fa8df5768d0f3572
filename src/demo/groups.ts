import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { companyNameKey } from '../domain/company-name.ts';

/**
 * A group in the demo company (docs/archive.md § Group accounts): the holding company above
 * 深圳市华为技术有限公司 and two sister subsidiaries not yet buying, all with the same owner and
 * unit, so the group page has a story from the first start: the anchor's purchases, deals and
 * contacts rolled up under the holding. Amounts come from won deals (the tier recompute), so
 * the new members carry none of their own.
 */
const HOLDING = '华为投资控股有限公司';
// New subsidiaries not yet buying: prospects the owner works through the group's relationships.
const SISTERS = ['华为数字能源技术有限公司', '华为云计算技术有限公司'];

export async function seedDemoGroups(db: Kysely<Database>, workspaceId: number, now: number): Promise<void> {
  const anchor = await db
    .selectFrom('accounts')
    .select(['id', 'owner_id', 'org_unit_id', 'province', 'city'])
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', '深圳市华为技术有限公司')
    .executeTakeFirst();
  if (!anchor) return;
  const base = {
    workspace_id: workspaceId,
    owner_id: anchor.owner_id,
    org_unit_id: anchor.org_unit_id,
    province: anchor.province,
    city: anchor.city,
    industry: 'electronics',
    status: 'customer' as string,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  const holding = await db
    .insertInto('accounts')
    .values({ ...base, name: HOLDING, name_key: companyNameKey(HOLDING), tier: 'B', named_account: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('accounts')
    .set({ parent_account_id: holding.id })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', anchor.id)
    .execute();
  await db
    .insertInto('accounts')
    .values(
      SISTERS.map((name) => ({
        ...base,
        name,
        name_key: companyNameKey(name),
        status: 'prospect',
        parent_account_id: holding.id,
      })),
    )
    .execute();
}
