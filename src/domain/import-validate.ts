import { ACCOUNT_STATUSES, COMPANY_SIZES, type AccountStatus } from './accounts.ts';
import { companyNameKey } from './company-name.ts';
import { creditCodeProblem } from './credit-code.ts';
import { headerKey } from './import-headers.ts';
import { parseCodedField, type CodedField, type ValueMapping } from './import-vocabulary.ts';
import { type ColumnMapping, type ImportField } from './import-fields.ts';
import { storedProvince } from './regions.ts';

/**
 * Validation of one imported row with the same rules as the API (docs/archive.md § Import and export "dry-run
 * validation report: row, field, problem"). Pure: lookups the rules need (active users by
 * email) come in as data. Every problem of a row is reported, not only the first.
 */
export interface RowProblem {
  field: string;
  code: string;
  message: string;
  /** The values the message names, so a page can say it in its own language. */
  params?: Record<string, string | number>;
}

export interface AccountValues {
  name: string;
  nameKey: string;
  creditCode: string | null;
  industry: string | null;
  province: string | null;
  city: string | null;
  district: string | null;
  address: string | null;
  size: string | null;
  website: string | null;
  phone: string | null;
  leadSource: string | null;
  status: AccountStatus | null;
  ownerEmail: string | null;
  /** A named (key) account: created, it goes to the key-account team (docs/organisation.md § Sales modes). */
  named: boolean;
  notes: string | null;
}

export interface ContactValues {
  accountName: string | null;
  accountNameKey: string | null;
  accountCreditCode: string | null;
  name: string;
  title: string | null;
  department: string | null;
  /** The contact this one reports to, as written (resolved after the whole file is read). */
  reportsTo: string | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  birthday: string | null;
  notes: string | null;
}

/** Limits of the API's schemas (src/contracts/accounts.ts, contacts/routes.ts). */
const MAX: Partial<Record<ImportField, number>> = {
  name: 200,
  province: 30,
  city: 30,
  district: 30,
  address: 200,
  website: 200,
  phone: 40,
  notes: 5000,
  accountName: 200,
  title: 100,
  department: 100,
  reportsTo: 254,
  mobile: 40,
  wechat: 60,
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function cellReader(cells: readonly string[], mapping: ColumnMapping, problems: RowProblem[]) {
  return (field: ImportField): string | null => {
    const idx = mapping[field];
    if (typeof idx !== 'number') return null;
    const trimmed = (cells[idx] ?? '').trim();
    if (trimmed === '') return null;
    const max = MAX[field];
    if (max !== undefined && trimmed.length > max) {
      problems.push({ field, code: 'too_long', message: `must be at most ${max} characters`, params: { max } });
      return null;
    }
    return trimmed;
  };
}

export function normaliseCreditCodeCell(value: string | null, field: string, problems: RowProblem[]): string | null {
  if (value === null) return null;
  const code = value.replace(/\s/g, '').toUpperCase();
  const problem = creditCodeProblem(code);
  if (problem) {
    problems.push({ field, code: 'invalid_credit_code', message: problem, params: { value: code } });
    return null;
  }
  return code;
}

/**
 * The codes a page may list after "not a known value", for the fields whose list is short
 * enough to read in a table cell (industries and lead sources are not); comma-separated,
 * the page shows each code's label in its own language.
 */
const SHORT_LISTS: Partial<Record<ImportField, readonly string[]>> = { status: ACCOUNT_STATUSES, size: COMPANY_SIZES };

function coded(
  cell: string | null,
  field: CodedField,
  valueMapping: ValueMapping,
  problems: RowProblem[],
): string | null {
  if (cell === null) return null;
  const code = parseCodedField(field, cell, valueMapping);
  if (code === undefined) {
    const allowed = SHORT_LISTS[field];
    problems.push({
      field,
      code: 'unknown_value',
      message: `"${cell}" is not a known value`,
      params: allowed ? { value: cell, allowed: allowed.join(',') } : { value: cell },
    });
    return null;
  }
  return code;
}

const YES = ['是', '是的', '对', 'y', 'yes', 'true', '1', '√', '✓', '指名', 'named'].map(headerKey);
const NO = ['否', '不是', 'n', 'no', 'false', '0', '×', '非指名', 'not named'].map(headerKey);

/** A yes/no cell as people write it (是/否, yes/no, Y/N, 1/0, √); undefined for anything else. */
export function parseYesNo(value: string): boolean | undefined {
  const key = headerKey(value);
  if (YES.includes(key)) return true;
  if (NO.includes(key)) return false;
  return undefined;
}

/** Dates as people type them: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日. */
export function parseDateCell(value: string): string | null {
  const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(value.trim());
  if (!match) return null;
  const [year, mo, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, mo - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export interface AccountRowContext {
  /** Active users the importer may assign accounts to, by lower-cased email. */
  assignableEmails: ReadonlySet<string>;
  /** Whether the importer may choose owners at all (managers and admins). */
  canChooseOwner: boolean;
  /** The user's answers of the value-mapping step (normalised keys, see normaliseValueMapping). */
  valueMapping?: ValueMapping;
}

export function validateAccountRow(
  cells: readonly string[],
  mapping: ColumnMapping,
  ctx: AccountRowContext,
): { values: AccountValues | null; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const valueMapping = ctx.valueMapping ?? {};
  const read = cellReader(cells, mapping, problems);
  const name = read('name');
  if (name === null && !problems.some((p) => p.field === 'name'))
    problems.push({ field: 'name', code: 'required', message: 'is required' });
  const creditCode = normaliseCreditCodeCell(read('creditCode'), 'creditCode', problems);
  let ownerEmail = read('ownerEmail');
  if (ownerEmail !== null) {
    ownerEmail = ownerEmail.toLowerCase();
    if (!ctx.canChooseOwner) {
      // A rep's imports are theirs (docs/organisation.md); the column is ignored rather than failing every row.
      ownerEmail = null;
    } else if (!EMAIL.test(ownerEmail)) {
      problems.push({
        field: 'ownerEmail',
        code: 'invalid_email',
        message: 'must be a valid email address',
        params: { value: ownerEmail },
      });
      ownerEmail = null;
    } else if (!ctx.assignableEmails.has(ownerEmail)) {
      problems.push({
        field: 'ownerEmail',
        code: 'unknown_owner',
        message: `no active user ${ownerEmail} in your organisation`,
        params: { email: ownerEmail },
      });
      ownerEmail = null;
    }
  }
  const namedCell = read('named');
  let named = false;
  if (namedCell !== null) {
    const answer = parseYesNo(namedCell);
    if (answer === undefined)
      problems.push({
        field: 'named',
        code: 'not_yes_no',
        message: `"${namedCell}" is not yes or no`,
        params: { value: namedCell },
      });
    else if (answer && !ctx.canChooseOwner)
      // As on POST /accounts: only a manager sends an account to the key-account team.
      problems.push({
        field: 'named',
        code: 'named_needs_manager',
        message: 'only a manager can import a named account',
      });
    else named = answer;
  }
  const values: AccountValues = {
    name: name ?? '',
    nameKey: name ? companyNameKey(name) : '',
    creditCode,
    industry: coded(read('industry'), 'industry', valueMapping, problems),
    province: storedProvince(read('province')),
    city: read('city'),
    district: read('district'),
    address: read('address'),
    size: coded(read('size'), 'size', valueMapping, problems),
    website: read('website'),
    phone: read('phone'),
    leadSource: coded(read('leadSource'), 'leadSource', valueMapping, problems),
    status: coded(read('status'), 'status', valueMapping, problems) as AccountStatus | null,
    ownerEmail,
    named,
    notes: read('notes'),
  };
  return { values: problems.length ? null : values, problems };
}

export function validateContactRow(
  cells: readonly string[],
  mapping: ColumnMapping,
): { values: ContactValues | null; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const read = cellReader(cells, mapping, problems);
  const name = read('name');
  if (name === null && !problems.some((p) => p.field === 'name'))
    problems.push({ field: 'name', code: 'required', message: 'is required' });
  const accountName = read('accountName');
  const accountCreditCode = normaliseCreditCodeCell(read('accountCreditCode'), 'accountCreditCode', problems);
  if (accountName === null && accountCreditCode === null && !problems.some((p) => p.field.startsWith('account'))) {
    const field =
      typeof mapping.accountCreditCode === 'number' && typeof mapping.accountName !== 'number'
        ? 'accountCreditCode'
        : 'accountName';
    problems.push({ field, code: 'required', message: "the account's name or credit code is required" });
  }
  let email = read('email');
  if (email !== null) {
    email = email.toLowerCase();
    if (!EMAIL.test(email) || email.length > 254) {
      problems.push({
        field: 'email',
        code: 'invalid_email',
        message: 'must be a valid email address',
        params: { value: email },
      });
      email = null;
    }
  }
  const birthdayCell = read('birthday');
  let birthday: string | null = null;
  if (birthdayCell !== null) {
    birthday = parseDateCell(birthdayCell);
    if (birthday === null)
      problems.push({
        field: 'birthday',
        code: 'invalid_date',
        message: 'must be a date YYYY-MM-DD',
        params: { value: birthdayCell },
      });
  }
  const values: ContactValues = {
    accountName,
    accountNameKey: accountName ? companyNameKey(accountName) : null,
    accountCreditCode,
    name: name ?? '',
    title: read('title'),
    department: read('department'),
    reportsTo: read('reportsTo'),
    mobile: read('mobile'),
    phone: read('phone'),
    email,
    wechat: read('wechat'),
    birthday,
    notes: read('notes'),
  };
  return { values: problems.length ? null : values, problems };
}

export const DUPLICATE_MODES = ['skip', 'update', 'create'] as const;
export type DuplicateMode = (typeof DUPLICATE_MODES)[number];

/**
 * Duplicates within the file: the first row with a credit code or a company-name key
 * (src/domain/company-name.ts) claims it; later rows are duplicates of that row. A repeated
 * credit code is always an error (codes are unique, docs/archive.md); a repeated name follows the
 * duplicate mode like a duplicate of an existing account.
 */
export class InFileDuplicates {
  private readonly codes = new Map<string, number>();
  private readonly keys = new Map<string, number>();

  /** The earlier row this one repeats, by credit code or by name key. */
  check(rowNo: number, creditCode: string | null, nameKey: string): { by: 'creditCode' | 'name'; row: number } | null {
    if (creditCode) {
      const prev = this.codes.get(creditCode);
      if (prev !== undefined) return { by: 'creditCode', row: prev };
      this.codes.set(creditCode, rowNo);
    }
    if (nameKey) {
      const prev = this.keys.get(nameKey);
      if (prev !== undefined) return { by: 'name', row: prev };
      this.keys.set(nameKey, rowNo);
    }
    return null;
  }
}
