import type { Kysely } from 'kysely';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Database } from '../../db/schema.ts';
import type { ColumnMapping } from '../../domain/import-fields.ts';
import type { FileContact, ReportsToLink } from '../../domain/import-reports-to.ts';
import { InFileDuplicates, type DuplicateMode } from '../../domain/import-validate.ts';
import { can, reachesUnit, type Actor } from '../../domain/policy.ts';
import { SimilarNameIndex } from '../../domain/similar-names.ts';
import { UnknownValueTally, type UnknownValue } from '../../domain/import-unknown-values.ts';
import { parseReport, type Counts } from './job-report.ts';
import { checkReportsTo } from './reports-to.ts';
import * as records from './repository/records.ts';
import * as repo from './repository/jobs.ts';
import * as profile from './profile.ts';
import { checkAccounts } from './validate-accounts.ts';
import { checkContacts } from './validate-contacts.ts';
import { checkPurchases } from './validate-purchases.ts';
import { checkOpportunities, workspaceChoices, workspaceWords, type WorkspaceWords } from './validate-opportunities.ts';
import { dateIn, type IsoDate } from '../../domain/calendar.ts';

/**
 * The dry run (docs/archive.md § Import and export): every stored row checked in chunks — values, duplicates in the file
 * and in the archive, what the importer may edit, look-alike names — and its verdict stored on
 * the row, so the report is a paginated query and the commit writes only what was checked.
 * Each kind's rows are checked in a file of their own (validate-accounts.ts, validate-contacts.ts,
 * validate-purchases.ts, validate-opportunities.ts).
 */
const VALIDATE_CHUNK = 1000;
/**
 * The job's progress (rows checked, errors so far, for the page polling it) is written at most
 * this often: each write is a commit of its own — on a SQLite file a sync — and once a chunk it
 * was half the CPU of storing the verdicts (100 writes for 100,000 rows).
 */
const PROGRESS_EVERY_MS = 1000;

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
      ? await profile.step(
          'check: look-alike index built',
          async () =>
            new SimilarNameIndex(
              (await records.accountNameKeys(db, actor.workspaceId)).map((first) => ({
                ref: first.id,
                name: first.name,
                key: first.name_key,
              })),
            ),
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
  let progressAt = 0;
  for (let after = 0; ;) {
    const rows = await profile.step('check: rows read', () =>
      repo.rowsAfter(db, actor.workspaceId, job.id, after, VALIDATE_CHUNK),
    );
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
    await profile.step('check: verdicts saved', async () => {
      // Only the verdicts that changed: the commit checks every row again and finds almost all of
      // them as the dry run left them (rewriting them all was 100,000 upserts of the rows' cells).
      const stored = new Map(rows.map((row) => [row.row_no, row]));
      const verdicts = checked
        .map((checkedItem) => ({
          rowNo: checkedItem.rowNo,
          data: checkedItem.data,
          outcome: checkedItem.outcome,
          problems: checkedItem.problems.length ? JSON.stringify(checkedItem.problems) : null,
          targetId: checkedItem.targetId,
        }))
        .filter((verdict) => {
          const before = stored.get(verdict.rowNo);
          return (
            before?.outcome !== verdict.outcome ||
            before.problems !== verdict.problems ||
            before.target_id !== verdict.targetId
          );
        });
      await repo.saveOutcomes(db, actor.workspaceId, job.id, verdicts);
      processed += rows.length;
      if (Date.now() - progressAt >= PROGRESS_EVERY_MS) {
        await repo.updateJob(db, actor.workspaceId, job.id, { processed_rows: processed, error_count: counts.error });
        progressAt = Date.now();
      }
    });
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
