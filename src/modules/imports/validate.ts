import type { Kysely } from 'kysely';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Database } from '../../db/schema.ts';
import type { ColumnMapping } from '../../domain/import-fields.ts';
import type { FileContact, ReportsToLink } from '../../domain/import-reports-to.ts';
import {
  InFileDuplicates,
  validateAccountRow,
  validateContactRow,
  type AccountRowContext,
  type ContactValues,
  type DuplicateMode,
  type RowProblem,
} from '../../domain/import-validate.ts';
import { can, canEditAccount, reachesUnit, type Actor } from '../../domain/policy.ts';
import { SimilarNameIndex } from '../../domain/similar-names.ts';
import { UnknownValueTally, type UnknownValue } from '../../domain/import-unknown-values.ts';
import { parseReport, type Counts, type Outcome } from './job-report.ts';
import { checkReportsTo } from './reports-to.ts';
import * as records from './repository/records.ts';
import * as repo from './repository/jobs.ts';
import { resolveAccounts } from './resolve-account.ts';
import { checkPurchases } from './validate-purchases.ts';
import { checkOpportunities, workspaceChoices, workspaceWords, type WorkspaceWords } from './validate-opportunities.ts';
import { dateIn, type IsoDate } from '../../domain/calendar.ts';

/**
 * The dry run (docs/archive.md § Import and export): every stored row checked in chunks — values, duplicates in the file
 * and in the archive, what the importer may edit, look-alike names — and its verdict stored on
 * the row, so the report is a paginated query and the commit writes only what was checked.
 */
const VALIDATE_CHUNK = 1000;

export interface Checked {
  rowNo: number;
  data: string;
  outcome: Outcome;
  problems: RowProblem[];
  targetId: number | null;
  duplicate: boolean;
  similar?: boolean;
  /** A contact row that creates or updates a contact: what its reports-to check needs. */
  contact?: FileContact;
}

export async function validatePass(
  db: Kysely<Database>,
  actor: Actor,
  job: repo.JobRow,
): Promise<{ counts: Counts; links: ReportsToLink[]; unknownValues: UnknownValue[] }> {
  const mapping = JSON.parse(job.mapping ?? '{}') as ColumnMapping;
  const valueMapping = parseReport(job.report).valueMapping ?? {};
  const unknown = new UnknownValueTally();
  const mode = (job.duplicate_mode ?? 'skip') as DuplicateMode;
  const counts: Counts = { create: 0, update: 0, skip: 0, error: 0, duplicate: 0, similar: 0 };
  // Look-alikes of the archive as it stands (src/domain/similar-names.ts), built once per pass.
  const similar =
    job.kind === 'accounts'
      ? new SimilarNameIndex(
          (await records.accountNameKeys(db, actor.workspaceId)).map((first) => ({
            ref: first.id,
            name: first.name,
            key: first.name_key,
          })),
        )
      : null;
  const users = await records.activeUsers(db, actor.workspaceId);
  const assignable = new Set(users.filter((u) => reachesUnit(actor, u.path)).map((u) => u.email.toLowerCase()));
  const inFile = new InFileDuplicates();
  const contactKeys = new Map<string, number>();
  const purchaseKeys = new Map<string, number>();
  const dealKeys = new Map<string, number>();
  const words: WorkspaceWords | null =
    job.kind === 'opportunities' ? await workspaceWords(db, actor.workspaceId) : null;
  let todayInZone: IsoDate | undefined;
  const today = async () => (todayInZone ??= dateIn(actor.now, await records.workspaceTimeZone(db, actor.workspaceId)));
  // Reports-to cells name contacts anywhere in the file: kept (compactly) until every row is read.
  const fileContacts: FileContact[] = [];
  let processed = 0;
  for (let after = 0; ;) {
    const rows = await repo.rowsAfter(db, actor.workspaceId, job.id, after, VALIDATE_CHUNK);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.row_no;
    const checked =
      job.kind === 'accounts'
        ? await checkAccounts(
            db,
            actor,
            rows,
            mapping,
            mode,
            { assignableEmails: assignable, canChooseOwner: can(actor, 'accounts.manage'), valueMapping },
            inFile,
            similar!,
          )
        : job.kind === 'purchases'
          ? await checkPurchases(db, actor, rows, mapping, mode, purchaseKeys, await today())
          : job.kind === 'opportunities'
            ? await checkOpportunities(db, actor, rows, mapping, mode, dealKeys, {
                today: await today(),
                valueMapping,
                words: words!,
              })
            : await checkContacts(db, actor, rows, mapping, mode, contactKeys);
    for (const checkedRow of checked) {
      counts[checkedRow.outcome]++;
      unknown.add(checkedRow.problems);
      if (checkedRow.duplicate) counts.duplicate++;
      if (checkedRow.similar) counts.similar++;
      if (checkedRow.contact && typeof mapping.reportsTo === 'number') fileContacts.push(checkedRow.contact);
    }
    await repo.saveOutcomes(
      db,
      actor.workspaceId,
      job.id,
      checked.map((checkedItem) => ({
        rowNo: checkedItem.rowNo,
        data: checkedItem.data,
        outcome: checkedItem.outcome,
        problems: checkedItem.problems.length ? JSON.stringify(checkedItem.problems) : null,
        targetId: checkedItem.targetId,
      })),
    );
    processed += rows.length;
    await repo.updateJob(db, actor.workspaceId, job.id, { processed_rows: processed, error_count: counts.error });
    await yieldToLoop();
  }
  const links = await checkReportsTo(db, actor.workspaceId, job.id, fileContacts, counts);
  if (counts.error > 0) await repo.updateJob(db, actor.workspaceId, job.id, { error_count: counts.error });
  return {
    counts,
    links,
    unknownValues: unknown.list(
      words ? { process: workspaceChoices(words, 'process'), stage: workspaceChoices(words, 'stage') } : {},
    ),
  };
}

export type Raw = { row_no: number; data: string };

async function checkAccounts(
  db: Kysely<Database>,
  actor: Actor,
  rows: Raw[],
  mapping: ColumnMapping,
  mode: DuplicateMode,
  ctx: AccountRowContext,
  inFile: InFileDuplicates,
  similar: SimilarNameIndex<number>,
): Promise<Checked[]> {
  const parsed = rows.map((r) => ({ r, ...validateAccountRow(JSON.parse(r.data) as string[], mapping, ctx) }));
  const codes = [...new Set(parsed.flatMap((p) => (p.values?.creditCode ? [p.values.creditCode] : [])))];
  const keys = [...new Set(parsed.flatMap((p) => (p.values?.nameKey ? [p.values.nameKey] : [])))];
  const { byCode, byKey } = await records.accountsMatching(db, actor.workspaceId, codes, keys);
  const facts = new Map(
    (await records.visibleFacts(db, actor, [...new Set([...byCode, ...byKey].map((a) => a.id))])).map((f) => [f.id, f]),
  );
  const codeMap = new Map(byCode.map((a) => [a.credit_code!, a]));
  const editable = (id: number) => {
    const fact = facts.get(id);
    return (
      !!fact &&
      canEditAccount(actor, {
        ownerId: fact.owner_id,
        unitPath: fact.unit_path,
        inPool: fact.in_pool === 1,
        onTeam: Boolean(fact.on_team),
      })
    );
  };
  return parsed.map(({ r: row, values: values, problems }): Checked => {
    const base = { rowNo: row.row_no, data: row.data, targetId: null, duplicate: false };
    if (!values) return { ...base, outcome: 'error', problems };
    const err = (field: string, code: string, message: string, params?: RowProblem['params']): Checked => ({
      ...base,
      duplicate: true,
      outcome: 'error',
      problems: [{ field, code, message, ...(params && { params }) }],
    });
    const again = inFile.check(row.row_no, values.creditCode, values.nameKey);
    if (again?.by === 'creditCode')
      return err('creditCode', 'duplicate_in_file', `same credit code as row ${again.row}`, { row: again.row });
    if (again && mode === 'skip')
      return {
        ...base,
        duplicate: true,
        outcome: 'skip',
        problems: [
          {
            field: 'name',
            code: 'duplicate_in_file',
            message: `same company as row ${again.row}`,
            params: { row: again.row },
          },
        ],
      };
    if (again && mode === 'update')
      return err('name', 'duplicate_in_file', `same company as row ${again.row}`, { row: again.row });
    const byCodeMatch = values.creditCode ? codeMap.get(values.creditCode) : undefined;
    // A same-name account with a different credit code is another company.
    const byName = byKey.filter(
      (byKeyItem) =>
        byKeyItem.name_key === values.nameKey &&
        (!values.creditCode || !byKeyItem.credit_code || byKeyItem.credit_code === values.creditCode),
    );
    const match = byCodeMatch ?? byName[0];
    if (!match) {
      // Created, with a warning when the name resembles an account that exists: the reader decides.
      const like = similar.mostSimilar(values.nameKey);
      if (!like) return { ...base, outcome: 'create', problems: [] };
      const percent = Math.round(like.similarity * 100);
      return {
        ...base,
        outcome: 'create',
        similar: true,
        problems: [
          {
            field: 'name',
            code: 'similar_existing',
            message: `resembles the existing account ${like.name} (${percent}% alike)`,
            params: { name: like.name, percent },
          },
        ],
      };
    }
    const field = byCodeMatch ? 'creditCode' : 'name';
    const how = byCodeMatch ? 'credit code' : 'name';
    if (mode === 'skip') {
      // The name only of an account the importer may see (docs/organisation.md).
      const visible = facts.has(match.id);
      return {
        ...base,
        duplicate: true,
        targetId: visible ? match.id : null,
        outcome: 'skip',
        problems: [
          {
            field,
            code: 'duplicate_existing',
            message: `an account with this ${how} exists: ${visible ? match.name : 'not visible to you'}`,
            ...(visible && { params: { name: match.name } }),
          },
        ],
      };
    }
    if (mode === 'create') {
      if (byCodeMatch)
        return err(
          'creditCode',
          'duplicate_existing',
          'an account with this credit code already exists; credit codes are unique',
          facts.has(match.id) ? { name: match.name } : undefined,
        );
      // Listed with the duplicates (the report's third list) although it will be created.
      return {
        ...base,
        duplicate: true,
        outcome: 'create',
        problems: [
          {
            field,
            code: 'duplicate_existing',
            message: `an account with this ${how} exists; creating another as asked`,
            ...(facts.has(match.id) && { params: { name: match.name } }),
          },
        ],
      };
    }
    if (!byCodeMatch && byName.length > 1)
      return err(
        'name',
        'ambiguous',
        `${byName.length} accounts have this name; add the credit code column to choose`,
        { count: byName.length },
      );
    if (match.archived_at !== null) return err(field, 'archived', 'matches an archived account; restore it first');
    if (!editable(match.id)) return err(field, 'not_editable', `matches an account (by ${how}) that you cannot edit`);
    return {
      ...base,
      duplicate: true,
      outcome: 'update',
      targetId: match.id,
      problems: [
        {
          field,
          code: 'duplicate_existing',
          message: `updates the account ${match.name}`,
          params: { name: match.name },
        },
      ],
    };
  });
}

async function checkContacts(
  db: Kysely<Database>,
  actor: Actor,
  rows: Raw[],
  mapping: ColumnMapping,
  mode: DuplicateMode,
  seen: Map<string, number>,
): Promise<Checked[]> {
  const parsed = rows.map((r) => ({ r, ...validateContactRow(JSON.parse(r.data) as string[], mapping) }));
  const resolved = await resolveAccounts(db, actor, parsed, 'you cannot add contacts to this account');
  const existing = await records.contactsOfAccounts(db, actor.workspaceId, [
    ...new Set(resolved.flatMap((x) => (x.accountId ? [x.accountId] : []))),
  ]);
  const same = (value: ContactValues, count: { name: string; mobile: string | null }) =>
    count.name.trim().toLowerCase() === value.name.toLowerCase() &&
    (!value.mobile || !count.mobile || count.mobile === value.mobile);
  return resolved.map(({ r: row, v: values, problems, accountId }): Checked => {
    const base = { rowNo: row.row_no, data: row.data, targetId: null, duplicate: false };
    if (!values || accountId === null) return { ...base, outcome: 'error', problems };
    const key = `${accountId}|${values.name.toLowerCase()}|${values.mobile ?? ''}`;
    const prev = seen.get(key);
    if (prev !== undefined && mode !== 'create') {
      return mode === 'skip'
        ? {
            ...base,
            duplicate: true,
            outcome: 'skip',
            problems: [
              {
                field: 'name',
                code: 'duplicate_in_file',
                message: `same contact as row ${prev}`,
                params: { row: prev },
              },
            ],
          }
        : {
            ...base,
            duplicate: true,
            outcome: 'error',
            problems: [
              {
                field: 'name',
                code: 'duplicate_in_file',
                message: `same contact as row ${prev}`,
                params: { row: prev },
              },
            ],
          };
    }
    if (prev === undefined) seen.set(key, row.row_no);
    const matches = existing.filter((c) => c.account_id === accountId && same(values, c));
    const contact = (contactId: number | null): FileContact => ({
      rowNo: row.row_no,
      accountId,
      contactId,
      name: values.name,
      mobile: values.mobile,
      email: values.email,
      reportsTo: values.reportsTo,
    });
    if (matches.length === 0 || mode === 'create')
      return {
        ...base,
        duplicate: matches.length > 0,
        outcome: 'create',
        targetId: accountId,
        problems:
          matches.length > 0
            ? [{ field: 'name', code: 'duplicate_existing', message: 'this contact exists; creating another as asked' }]
            : [],
        contact: contact(null),
      };
    if (mode === 'skip')
      return {
        ...base,
        duplicate: true,
        outcome: 'skip',
        targetId: matches[0]!.id,
        problems: [
          { field: 'name', code: 'duplicate_existing', message: 'this contact already exists on the account' },
        ],
      };
    if (matches.length > 1)
      return {
        ...base,
        duplicate: true,
        outcome: 'error',
        problems: [
          {
            field: 'name',
            code: 'ambiguous',
            message: `${matches.length} contacts of the account have this name; add the mobile column`,
            params: { count: matches.length },
          },
        ],
      };
    return {
      ...base,
      duplicate: true,
      outcome: 'update',
      targetId: matches[0]!.id,
      problems: [{ field: 'name', code: 'duplicate_existing', message: 'updates the existing contact' }],
      contact: contact(matches[0]!.id),
    };
  });
}
