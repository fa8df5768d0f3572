import type { Kysely } from 'kysely';
import type { Database, NewAccount } from '../../db/schema.ts';
import type { ColumnMapping, ImportField } from '../../domain/import-fields.ts';
import type { ReportsToLink } from '../../domain/import-reports-to.ts';
import {
  validateAccountRow,
  validateContactRow,
  type AccountValues,
  type ContactValues,
} from '../../domain/import-validate.ts';
import { can, reachesUnit, type Actor } from '../../domain/policy.ts';
import { recordChanges, type Change } from '../history/repository.ts';
import { writeReportsTo } from './reports-to.ts';
import { parseReport } from './job-report.ts';
import { dateIn, startOfDay } from '../../domain/calendar.ts';
import { validatePurchaseRow } from '../../domain/import-purchases.ts';
import * as records from './repository/records.ts';
import * as repo from './repository/jobs.ts';
import * as profile from './profile.ts';
import { writeOpportunities } from './commit-opportunities.ts';
import { keyAccountTeamsWithinReach } from '../org/service.ts';
import type { UnitMode } from '../../domain/sales-mode.ts';
import { resolveOpportunityRows, workspaceWords, type WorkspaceWords } from './validate-opportunities.ts';
import { deferSearchEntries, resumeSearchEntries } from '../search/indexing.ts';

/**
 * The commit's writes (docs/archive.md § Import and export): the rows the dry run found to create or update, set-based
 * in chunks, inside the caller's one transaction — all or nothing. The records it creates get no search entries here,
 * only a pending row each (migration 0048): the indexing job writes them after the commit (docs/search.md § Imported
 * records), so the transaction others wait on no longer holds ~80 % of its time in the index. Updates are indexed at once.
 */
const INSERT_CHUNK = 500;

/** Writes every create and update row; runs inside the caller's transaction (all or nothing). */
export async function writePass(
  trx: Kysely<Database>,
  actor: Actor,
  job: repo.JobRow,
  links: ReportsToLink[],
  onProgress: (processed: number) => void,
) {
  const mapping = JSON.parse(job.mapping ?? '{}') as ColumnMapping;
  const now = Date.now();
  const result = { created: 0, updated: 0, skipped: 0 };
  const users = job.kind === 'accounts' ? await records.activeUsers(trx, actor.workspaceId) : [];
  const byEmail = new Map(users.filter((u) => reachesUnit(actor, u.path)).map((u) => [u.email.toLowerCase(), u]));
  const canChooseOwner = can(actor, 'accounts.manage');
  const valueMapping = parseReport(job.report).valueMapping ?? {};
  const createdContacts = new Map<number, number>();
  let processed = 0;
  let timeZone: string | undefined;
  let words: WorkspaceWords | undefined;
  let teamFor: ((unitPath: string) => UnitMode | null) | undefined;
  // Purchases are not searched; the flag is lowered below, before the caller commits.
  const deferred = job.kind !== 'purchases';
  if (deferred) await deferSearchEntries(trx, job.id);
  for (let after = 0; ;) {
    const rows = await profile.step('write: rows read', () =>
      repo.rowsAfter(trx, actor.workspaceId, job.id, after, INSERT_CHUNK, ['create', 'update']),
    );
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.row_no;
    if (job.kind === 'accounts') {
      const ctx = { assignableEmails: new Set(byEmail.keys()), canChooseOwner, valueMapping };
      const items = rows.map((row) => ({
        r: row,
        v: validateAccountRow(JSON.parse(row.data) as string[], mapping, ctx).values!,
      }));
      const creates = items.filter((x) => x.r.outcome === 'create');
      teamFor ??= await keyAccountTeamsWithinReach(trx, actor);
      const routeNamed = teamFor;
      const teams: (UnitMode | null)[] = [];
      const values: NewAccount[] = creates.map(({ v: accountValues }) => {
        const owner = accountValues.ownerEmail ? byEmail.get(accountValues.ownerEmail) : undefined;
        // A named account goes to the key-account team as on POST /accounts (docs/organisation.md § Sales
        // modes): the nearest one within reach of the unit it would have joined, into that team's pool.
        const team = accountValues.named ? routeNamed(owner?.path ?? actor.unitPath) : null;
        teams.push(team);
        return {
          workspace_id: actor.workspaceId,
          name: accountValues.name,
          name_key: accountValues.nameKey,
          credit_code: accountValues.creditCode,
          industry: accountValues.industry,
          province: accountValues.province,
          city: accountValues.city,
          district: accountValues.district,
          address: accountValues.address,
          size: accountValues.size,
          website: accountValues.website,
          phone: accountValues.phone,
          lead_source: accountValues.leadSource,
          owner_id: team ? null : (owner?.id ?? actor.userId),
          org_unit_id: team ? team.id : (owner?.org_unit_id ?? actor.orgUnitId),
          // Every row names the same columns: a multi-row insert writes NULL where a row leaves one out.
          named_account: accountValues.named ? 1 : 0,
          in_pool: team ? 1 : 0,
          pool_since: team ? now : null,
          status: accountValues.status ?? 'prospect',
          notes: accountValues.notes,
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
          version: 1,
        };
      });
      const ids = await profile.step('write: accounts inserted (their index deferred)', () =>
        records.insertAccounts(trx, values),
      );
      const changes: Change[] = ids.map((id, index) => ({
        workspaceId: actor.workspaceId,
        entityType: 'account',
        entityId: id,
        field: 'owner',
        oldValue: null,
        newValue: values[index]!.owner_id ?? null,
        reason: teams[index] ? 'key_account_team' : 'import',
        actorUserId: actor.userId,
      }));
      const updates = items.filter((x) => x.r.outcome === 'update' && x.r.target_id !== null);
      const owners = await profile.step('write: updates', () =>
        records.accountOwners(
          trx,
          actor.workspaceId,
          updates.map((u) => u.r.target_id!),
        ),
      );
      for (const { r: row, v: accountValues } of updates) {
        const set = accountUpdate(accountValues, mapping, now);
        const owner = accountValues.ownerEmail ? byEmail.get(accountValues.ownerEmail) : undefined;
        const oldOwner = owners.get(row.target_id!) ?? null;
        if (owner && owner.id !== oldOwner) {
          Object.assign(set, { owner_id: owner.id, org_unit_id: owner.org_unit_id, in_pool: 0, pool_since: null });
          changes.push({
            workspaceId: actor.workspaceId,
            entityType: 'account',
            entityId: row.target_id!,
            field: 'owner',
            oldValue: oldOwner,
            newValue: owner.id,
            reason: 'import',
            actorUserId: actor.userId,
          });
        }
        await records.updateAccount(trx, actor.workspaceId, row.target_id!, set);
      }
      await profile.step('write: history', () => recordChanges(trx, changes, now));
      result.created += ids.length;
      result.updated += updates.length;
    } else if (job.kind === 'opportunities') {
      const zone = (timeZone ??= await records.workspaceTimeZone(trx, actor.workspaceId));
      words ??= await workspaceWords(trx, actor.workspaceId);
      const creates = rows.filter((row) => row.outcome === 'create');
      const resolved = await resolveOpportunityRows(trx, actor, creates, mapping, {
        today: dateIn(actor.now, zone),
        valueMapping,
        words,
      });
      const accountOf = new Map(creates.map((row) => [row.row_no, row.target_id]));
      const deals = resolved.map(({ r: row, deal, problems }) => {
        // Checked a moment ago in this same pass: a row that no longer resolves means the workspace changed meanwhile.
        if (!deal) throw new Error(`row ${row.row_no}: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
        return { ...deal, accountId: accountOf.get(row.row_no) ?? deal.accountId };
      });
      await writeOpportunities(trx, actor, deals, zone, now);
      result.created += deals.length;
    } else if (job.kind === 'purchases') {
      const zone = (timeZone ??= await records.workspaceTimeZone(trx, actor.workspaceId));
      const today = dateIn(actor.now, zone);
      const creates = rows.filter((row) => row.outcome === 'create');
      await records.insertPurchases(
        trx,
        creates.map((row) => {
          const values = validatePurchaseRow(JSON.parse(row.data) as string[], mapping, today).values!;
          return {
            workspace_id: actor.workspaceId,
            account_id: row.target_id!,
            purchased_on: values.purchasedOn,
            purchased_at: startOfDay(values.purchasedOn, zone),
            amount: values.amount,
            product: values.product,
            notes: values.notes,
            import_job_id: job.id,
            created_by: actor.userId,
            created_at: now,
          };
        }),
      );
      result.created += creates.length;
    } else {
      const items = rows.map((r) => ({ r, v: validateContactRow(JSON.parse(r.data) as string[], mapping).values! }));
      const creates = items.filter((x) => x.r.outcome === 'create');
      const ids = await records.insertContacts(
        trx,
        creates.map(({ r: row, v: contactValues }) => ({
          workspace_id: actor.workspaceId,
          account_id: row.target_id!,
          name: contactValues.name,
          title: contactValues.title,
          department: contactValues.department,
          mobile: contactValues.mobile,
          phone: contactValues.phone,
          email: contactValues.email,
          wechat: contactValues.wechat,
          birthday: contactValues.birthday,
          notes: contactValues.notes,
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
          version: 1,
        })),
      );
      ids.forEach((id, i) => createdContacts.set(creates[i]!.r.row_no, id));
      const updates = items.filter((x) => x.r.outcome === 'update');
      for (const { r: row, v: contactValues } of updates)
        await records.updateContact(trx, actor.workspaceId, row.target_id!, contactUpdate(contactValues, mapping, now));
      result.created += items.length - updates.length;
      result.updated += updates.length;
    }
    processed += rows.length;
    onProgress(processed);
  }
  if (links.length) await writeReportsTo(trx, actor.workspaceId, links, createdContacts);
  if (deferred) await resumeSearchEntries(trx, job.id);
  result.skipped = job.total_rows - result.created - result.updated;
  return result;
}

/** Only mapped, non-empty cells change an existing record: a blank cell never erases data. */
function accountUpdate(values: AccountValues, mapping: ColumnMapping, now: number) {
  const set: Record<string, unknown> = { updated_at: now };
  const pairs: [ImportField, keyof AccountValues, string][] = [
    ['name', 'name', 'name'],
    ['creditCode', 'creditCode', 'credit_code'],
    ['industry', 'industry', 'industry'],
    ['province', 'province', 'province'],
    ['city', 'city', 'city'],
    ['district', 'district', 'district'],
    ['address', 'address', 'address'],
    ['size', 'size', 'size'],
    ['website', 'website', 'website'],
    ['phone', 'phone', 'phone'],
    ['leadSource', 'leadSource', 'lead_source'],
    ['status', 'status', 'status'],
    ['notes', 'notes', 'notes'],
  ];
  for (const [field, key, column] of pairs)
    if (typeof mapping[field] === 'number' && values[key] !== null) set[column] = values[key];
  if (set.name !== undefined) set.name_key = values.nameKey;
  return set;
}

function contactUpdate(values: ContactValues, mapping: ColumnMapping, now: number) {
  const set: Record<string, unknown> = { updated_at: now };
  for (const field of ['title', 'department', 'mobile', 'phone', 'email', 'wechat', 'birthday', 'notes'] as const) {
    if (typeof mapping[field] === 'number' && values[field] !== null) set[field] = values[field];
  }
  return set;
}
