import { companyNameKey } from './company-name.ts';
import type { IsoDate } from './calendar.ts';
import { headerKey } from './import-headers.ts';
import { parseCodedField, type ValueMapping } from './import-vocabulary.ts';
import { type ColumnMapping, type OpportunityImportField } from './import-fields.ts';
import type { RowProblem } from './import-validate.ts';
import { rowChecks } from './import-row-checks.ts';
import type { OpportunityStatus } from './opportunity.ts';

/**
 * One row of an imported opportunity (docs/sales-process.md § Import of opportunities), checked
 * with the rules of the API's create and close (src/contracts/opportunities.ts): the lengths,
 * whole fen, a close date, the products; a lost or abandoned deal says why and who won, a won one
 * has an amount above 0, and a closed deal cannot have closed after today. The process, stage,
 * owner and account are names here; src/modules/imports/validate-opportunities.ts finds them.
 */
export interface OpportunityValues {
  accountName: string | null;
  accountNameKey: string | null;
  accountCreditCode: string | null;
  name: string;
  /** As written (after the value mapping): found among the workspace's processes later. */
  process: string | null;
  stage: string | null;
  /** Fen. */
  amount: number;
  expectedCloseDate: IsoDate;
  /** An email or a user's name, as written. */
  owner: string | null;
  /** Null when the cell is empty: open, unless the stage is the won stage. */
  status: OpportunityStatus | null;
  lossReason: string | null;
  competitor: string | null;
  leadSource: string | null;
  products: string[];
  description: string | null;
}

/** The API's limits: name 200, competitor 200, description 5000, products 20 of 100 characters, amount 10^15 fen. */
const MAX: Partial<Record<OpportunityImportField, number>> = {
  accountName: 200,
  name: 200,
  process: 200,
  stage: 200,
  owner: 254,
  competitor: 200,
  description: 5000,
  products: 2100,
};
export const MAX_PRODUCTS = 20;
const MAX_PRODUCT_CHARS = 100;
const MAX_FEN = 1e15;

/** Products as people list them in one cell: 、 , ， ; ； or new lines between them. */
export const splitProducts = (cell: string | null): string[] =>
  cell === null
    ? []
    : cell
        .split(/[,，;；、\n|]/)
        .map((product) => product.trim())
        .filter(Boolean);

export function validateOpportunityRow(
  cells: readonly string[],
  mapping: ColumnMapping,
  ctx: { today: IsoDate; valueMapping: ValueMapping },
): { values: OpportunityValues | null; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const check = rowChecks<OpportunityImportField>(cells, mapping, MAX, problems);
  const read = check.read;
  const coded = (field: 'dealStatus' | 'lossReason' | 'leadSource'): string | null => {
    const cell = read(field);
    if (cell === null) return null;
    const code = parseCodedField(field, cell, ctx.valueMapping);
    if (code !== undefined) return code;
    problems.push({
      field,
      code: 'unknown_value',
      message: `"${cell}" is not a known value`,
      params: field === 'dealStatus' ? { value: cell, allowed: 'open,won,lost,abandoned' } : { value: cell },
    });
    return null;
  };
  /** The workspace's word as the user mapped it in the value-mapping step, else as written. */
  const word = (field: 'process' | 'stage'): string | null => {
    const cell = read(field);
    return cell === null ? null : (ctx.valueMapping[field]?.[headerKey(cell)] ?? cell);
  };

  const { accountName, accountCreditCode } = check.account();
  const name = read('name');
  if (name === null && !problems.some((p) => p.field === 'name'))
    problems.push({ field: 'name', code: 'required', message: 'is required' });
  const status = coded('dealStatus') as OpportunityStatus | null;

  const amount = check.amount(
    'amount',
    (fen) => fen <= MAX_FEN && !(fen === 0 && status === 'won'),
    status === 'won'
      ? 'a won deal needs its contract amount: yuan above 0 with at most two decimals'
      : 'must be an amount in yuan, 0 or more, with at most two decimals',
  );

  let expectedCloseDate = check.date('expectedCloseDate');
  if (expectedCloseDate !== null && status !== null && status !== 'open' && expectedCloseDate > ctx.today) {
    problems.push({
      field: 'expectedCloseDate',
      code: 'future_close',
      message: 'a closed deal cannot have closed after today',
      params: { value: expectedCloseDate },
    });
    expectedCloseDate = null;
  }

  const lossReason = coded('lossReason');
  const competitor = read('competitor');
  if (status === 'lost' || status === 'abandoned') {
    if (lossReason === null && !problems.some((p) => p.field === 'lossReason'))
      problems.push({ field: 'lossReason', code: 'required', message: `closing as ${status} needs a reason` });
    if (competitor === null && !problems.some((p) => p.field === 'competitor'))
      problems.push({
        field: 'competitor',
        code: 'required',
        message: 'say who won the deal, or "none" when the customer bought nothing',
      });
  }
  const leadSource = coded('leadSource');
  const products = splitProducts(read('products'));
  if (products.length > MAX_PRODUCTS)
    problems.push({
      field: 'products',
      code: 'too_many',
      message: `at most ${MAX_PRODUCTS} products`,
      params: { max: MAX_PRODUCTS },
    });
  else if (products.some((product) => product.length > MAX_PRODUCT_CHARS))
    problems.push({
      field: 'products',
      code: 'too_long',
      message: `each product at most ${MAX_PRODUCT_CHARS} characters`,
      params: { max: MAX_PRODUCT_CHARS },
    });
  const process = word('process');
  const stage = word('stage');
  const owner = read('owner');
  const description = read('description');
  if (problems.length || name === null || amount === null || expectedCloseDate === null)
    return { values: null, problems };
  return {
    values: {
      accountName,
      accountNameKey: accountName ? companyNameKey(accountName) : null,
      accountCreditCode,
      name,
      process,
      stage,
      amount,
      expectedCloseDate,
      owner,
      status,
      lossReason: status === 'lost' || status === 'abandoned' ? lossReason : null,
      competitor: status === 'lost' || status === 'abandoned' ? competitor : null,
      leadSource,
      products: [...new Set(products)],
      description,
    },
    problems,
  };
}

/** A name of the workspace (process or stage) and the words that name it: as stored, and its shipped translation. */
export function nameWords(name: string, translations: { zh: Map<string, string>; en: Map<string, string> }): string[] {
  return [name, translations.en.get(name), translations.zh.get(name)]
    .filter((wordText): wordText is string => !!wordText)
    .map(headerKey);
}

/** Two rows are the same deal when account and name (any case) agree. */
export const opportunityKey = (accountId: number, name: string) => `${accountId}|${name.trim().toLowerCase()}`;
