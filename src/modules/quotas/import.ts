import type { Db } from '../../db/database.ts';
import type * as contract from '../../contracts/quotas.ts';
import { canSetQuota, type Actor } from '../../domain/policy.ts';
import { sniffFormat, detectEncoding } from '../../domain/spreadsheet-format.ts';
import { AppError, fieldError, invalid } from '../../server/problem.ts';
import { readInWorker } from '../imports/reading.ts';
import { peopleUnder, unitsUnder } from '../targets/scope.ts';
import { loadRules } from '../workspace/service.ts';
import { saveQuotas } from './save.ts';

/**
 * Quotas from a spreadsheet (docs/targets.md § Quotas): a header row, then a row per person
 * (by email) or unit (by name) with the annual quota in yuan and optionally the four quarter
 * ratios, the basis and a share per business line (a column headed by the line's key or name). The file is read by the import worker under the import caps
 * (docs/DESIGN.md § Imports); every row is checked first, and only a file without errors is
 * saved — as one table save, with the reason, in one transaction.
 */
const HEADERS = {
  email: ['邮箱', 'email', 'e-mail'],
  unit: ['部门', '部门名称', 'unit', 'org unit'],
  amount: ['年度定额', '定额', '年度定额（元）', 'quota', 'annual quota', 'amount'],
  q1: ['q1'],
  q2: ['q2'],
  q3: ['q3'],
  q4: ['q4'],
  basis: ['口径', 'basis'],
} as const;
const BASES: Record<string, 'tax_inclusive' | 'net'> = {
  含税: 'tax_inclusive',
  tax_inclusive: 'tax_inclusive',
  'tax-inclusive': 'tax_inclusive',
  不含税: 'net',
  net: 'net',
};

export async function importQuotas(
  db: Db,
  actor: Actor,
  query: { fiscalYear: number; dryRun: 'true' | 'false'; reason?: string | undefined },
  bytes: Buffer | undefined,
): Promise<contract.QuotaImportResponse> {
  if (!bytes || bytes.length === 0)
    throw invalid(
      'file',
      { code: 'missing_file' },
      'is required: send the CSV or .xlsx file as the request body',
      'missing_file',
    );
  const sniffed = sniffFormat(bytes);
  if (sniffed.format === 'unknown')
    throw invalid('file', { code: 'unsupported_file' }, sniffed.reason, 'unsupported_file');
  const rows: { rowNo: number; cells: string[] }[] = [];
  for await (const batch of readInWorker(
    bytes,
    sniffed.format,
    sniffed.format === 'csv' ? detectEncoding(bytes) : 'utf-8',
  ))
    for (const row of batch) rows.push({ rowNo: row.rowNo, cells: JSON.parse(row.data) as string[] });
  const [header, ...data] = rows;
  if (!header || data.length === 0)
    throw invalid('file', { code: 'no_rows' }, 'has no rows under its header', 'no_rows');
  const col = Object.fromEntries(
    Object.entries(HEADERS).map(([key, names]) => [
      key,
      header.cells.findIndex((c) => (names as readonly string[]).includes(c.trim().toLowerCase())),
    ]),
  ) as Record<keyof typeof HEADERS, number>;
  if (col.amount < 0 || (col.email < 0 && col.unit < 0))
    throw invalid(
      'file',
      { code: 'mapping_incomplete' },
      'needs a column of emails or unit names and one of annual quotas',
      'mapping_incomplete',
    );
  const [people, units, { settings }] = await Promise.all([
    peopleUnder(db.kysely, actor.workspaceId, null),
    unitsUnder(db.kysely, actor.workspaceId, null),
    loadRules(db.kysely, actor),
  ]);
  // A column per business line — headed by its key or either of its names — holds the line's share in percent.
  const lineColumns = settings.businessLines
    .map((line) => ({
      key: line.key,
      index: header.cells.findIndex((heading) =>
        [line.key, line.nameZh, line.nameEn].map((name) => name.toLowerCase()).includes(heading.trim().toLowerCase()),
      ),
    }))
    .filter((column) => column.index >= 0);
  const byEmail = new Map(people.map((p) => [p.email.toLowerCase(), p]));
  const items: contract.QuotaImportResponse['items'] = [];
  const full: contract.QuotaItem[] = [];
  const errors: contract.QuotaImportResponse['errors'] = [];
  const cell = (r: { cells: string[] }, i: number) => (i < 0 ? '' : (r.cells[i] ?? '').trim());
  for (const row of data) {
    if (row.cells.every((c) => !c.trim())) continue;
    const err = (column: string, code: string, message: string) =>
      errors.push({ row: row.rowNo, column, code, message });
    let subject: { type: 'user' | 'unit'; id: number; name: string } | null = null;
    const email = cell(row, col.email).toLowerCase();
    const unitName = cell(row, col.unit);
    if (email) {
      const person = byEmail.get(email);
      if (!person || !canSetQuota(actor, { kind: 'user', userId: person.id, unitPath: person.path }))
        err(header.cells[col.email]!, 'not_in_reach', `no one whose quota you set has the email ${email}`);
      else subject = { type: 'user', id: person.id, name: person.name };
    } else if (unitName) {
      const matches = units.filter(
        (u) => u.name === unitName && canSetQuota(actor, { kind: 'unit', unitId: u.id, path: u.path }),
      );
      if (matches.length === 1) subject = { type: 'unit', id: matches[0]!.id, name: unitName };
      else
        err(
          header.cells[col.unit]!,
          matches.length ? 'ambiguous' : 'not_in_reach',
          matches.length
            ? `${matches.length} units you set are called ${unitName}: use one row per person instead`
            : `no unit whose quota you set is called ${unitName}`,
        );
    } else err(header.cells[col.email >= 0 ? col.email : col.unit]!, 'required', 'names no one');
    const yuan = Number(cell(row, col.amount).replace(/[,，¥\s]/g, ''));
    if (
      !cell(row, col.amount) ||
      !Number.isFinite(yuan) ||
      yuan < 0 ||
      Math.round(yuan * 100) !== Math.round(yuan * 100 * 1e6) / 1e6
    )
      err(header.cells[col.amount]!, 'invalid', 'must be an amount in yuan, not negative, at most two decimals');
    const ratioCells = [col.q1, col.q2, col.q3, col.q4];
    let ratios: number[] | undefined;
    if (ratioCells.every((i) => i >= 0) && ratioCells.some((i) => cell(row, i))) {
      ratios = ratioCells.map((i) => Number(cell(row, i).replace('%', '')));
      if (ratios.some((x) => !Number.isInteger(x) || x < 0 || x > 100) || ratios.reduce((a, b) => a + b, 0) !== 100)
        err('Q1–Q4', 'must_total_100', 'quarter ratios must be whole percents adding up to 100');
    }
    let categories: { key: string; share: number }[] | undefined;
    if (lineColumns.some((column) => cell(row, column.index))) {
      categories = lineColumns
        .map((column) => ({ key: column.key, share: Number(cell(row, column.index).replace('%', '') || '0') }))
        .filter((category) => category.share !== 0 || !Number.isInteger(category.share));
      const shares = categories.map((category) => category.share);
      if (shares.some((x) => !Number.isInteger(x) || x < 0 || x > 100) || shares.reduce((a, b) => a + b, 0) !== 100)
        err(
          lineColumns.map((column) => header.cells[column.index]!).join(' / '),
          'must_total_100',
          'business line shares must be whole percents adding up to 100',
        );
    }
    const basisText = cell(row, col.basis).toLowerCase();
    const basis = basisText ? BASES[basisText] : undefined;
    if (basisText && !basis)
      err(header.cells[col.basis]!, 'invalid_value', 'must be 含税 / tax_inclusive or 不含税 / net');
    if (subject && !errors.some((e) => e.row === row.rowNo)) {
      const amount = Math.round(yuan * 100);
      if (full.some((f) => f.subjectType === subject.type && f.subjectId === subject.id)) {
        err(header.cells[col.email >= 0 && email ? col.email : col.unit]!, 'duplicate', 'named twice in the file');
        continue;
      }
      items.push({ row: row.rowNo, subjectType: subject.type, subjectId: subject.id, name: subject.name, amount });
      full.push({
        subjectType: subject.type,
        subjectId: subject.id,
        amount,
        ...(ratios ? { quarterRatios: ratios } : {}),
        ...(categories ? { categories } : {}),
        ...(basis ? { basis } : {}),
      });
    }
  }
  if (query.dryRun === 'true') return { items, errors, changed: 0 };
  if (errors.length)
    throw new AppError('rows_have_errors', `${errors.length} rows need fixing; check the file with dryRun=true`, {
      errors: [
        fieldError(
          'file',
          { code: 'rows_have_errors', params: { count: errors.length } },
          `${errors.length} rows need fixing`,
        ),
      ],
    });
  if (full.length === 0) throw invalid('file', { code: 'no_rows' }, 'has no quotas to save', 'no_rows');
  const { changed } = await saveQuotas(db, actor, {
    fiscalYear: query.fiscalYear,
    reason: query.reason ?? 'import',
    items: full,
  });
  return { items, errors, changed };
}
