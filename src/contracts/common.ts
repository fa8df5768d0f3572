import { z } from 'zod';
import type { FieldIssue } from './problems.ts';

/**
 * Schemas shared by every area's contract: ids, list parameters, pages, problems. Pure zod, no
 * server imports: the web app may import its types.
 */

/** The message of a missing value; the field-error mapping below recognises it. */
export const REQUIRED = 'is required';

// Messages a person can act on, for every schema: the field name comes from the path. They are
// the English `message` of a field error; its `code` and `params` come from `fieldIssueOf`.
z.config({
  customError: (iss) => {
    if (iss.input === undefined) return REQUIRED;
    if (iss.code === 'invalid_type') return `must be ${iss.expected === 'object' ? 'an object' : `a ${iss.expected}`}`;
    if (iss.code === 'invalid_value') return `must be one of ${iss.values.map(String).join(', ')}`;
    return undefined;
  },
});

/** A validation issue as the server sees it: zod's code, message and the issue's own members. */
export interface ValidationIssue {
  code: string;
  message: string;
  params: Record<string, unknown>;
}

/**
 * A zod issue as a field-error code of the problems table (src/contracts/problems.ts) with its
 * params, so the web app can say it in the user's language: too_small { min, origin }, …
 */
export function fieldIssueOf(validationIssue: ValidationIssue): FieldIssue {
  const params = validationIssue.params;
  const origin = String(params.origin ?? 'value');
  switch (validationIssue.code) {
    case 'invalid_type':
      return validationIssue.message === REQUIRED
        ? { code: 'required' }
        : { code: 'invalid_type', params: { expected: String(params.expected) } };
    case 'too_small':
      // A trimmed text of at least one character: an empty one is a missing one.
      if (origin === 'string' && Number(params.minimum) === 1) return { code: 'required' };
      return {
        code: 'too_small',
        params: { min: Number(params.minimum), origin, ...(params.inclusive === false ? { inclusive: false } : {}) },
      };
    case 'too_big':
      return { code: 'too_big', params: { max: Number(params.maximum), origin } };
    case 'invalid_value':
      return {
        code: 'invalid_value',
        params: { values: Array.isArray(params.values) ? params.values.map(String) : [] },
      };
    case 'invalid_format':
      return { code: 'invalid_format', params: { format: String(params.format) } };
    case 'not_multiple_of':
      return { code: 'not_multiple_of', params: { divisor: Number(params.divisor) } };
    default:
      return validationIssue.message === REQUIRED ? { code: 'required' } : { code: 'invalid' };
  }
}

/**
 * An integer from a query string or path: decimal digits only, so `0x10`, `1e1`, `1.0`, ` 1`
 * and an empty value are 400s naming the parameter (z.coerce.number took them: `/org-units/0x1`
 * was unit 1 and `limit=` was 0). Documented as an integer. Wrap a z.number() with the bounds.
 */
export const queryInt = <T extends z.ZodType<number>>(inner: T) =>
  z.preprocess((v) => (typeof v === 'string' && /^-?[0-9]{1,16}$/.test(v) ? Number(v) : v), inner);

/**
 * Ids and versions are 32-bit integer columns (PostgreSQL `serial`/`integer`): a larger number
 * can name no record, and PostgreSQL would refuse the comparison itself (a 500), so it is a 400.
 */
export const INT4_MAX = 2_147_483_647;

/** A record id in a JSON body. */
export const recordId = z.number().int().positive().max(INT4_MAX);

/** A record id in a path or query string: a strict positive decimal integer. */
export const queryId = queryInt(recordId);

export const idParam = z.strictObject({ id: queryId });

export const versionField = z
  .number()
  .int()
  .positive()
  .max(INT4_MAX)
  .describe('The version you read; a stale one gets 409');

/**
 * A trimmed, non-empty, bounded string (names, titles). The `\\S` pattern documents what the
 * trim enforces: whitespace alone is refused, so minLength 1 is not the whole rule.
 */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { message: 'must not be empty', abort: true })
    .regex(/\S/, 'must not be empty')
    .max(max, `must be at most ${max} characters`);
export const optionalText = (max: number) =>
  z.string().trim().max(max, `must be at most ${max} characters`).nullable().optional();

export const email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be a valid email address'))
  .transform((e) => e.toLowerCase())
  .meta({ format: 'email' });

export const password = z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters');

/**
 * List parameters (README § API conventions): limit, offset, sort ("name" ascending,
 * "-name" descending) over the listed columns, plus each area's own filters.
 */
export function listQuery<const S extends readonly [string, ...string[]], F extends z.ZodRawShape>(
  sortable: S,
  defaultSort: `${S[number]}` | `-${S[number]}`,
  filters: F,
) {
  const sortValues = sortable.flatMap((s) => [s, `-${s}`]) as [string, ...string[]];
  return z.strictObject({
    limit: queryInt(z.number().int().min(1).max(500)).default(50),
    offset: queryInt(z.number().int().min(0)).default(0),
    sort: z
      .enum(sortValues, { message: `must be one of ${sortValues.join(', ')}` })
      .default(defaultSort)
      .transform((s) => ({ column: s.replace(/^-/, '') as S[number], desc: s.startsWith('-') })),
    ...filters,
  });
}

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int() });
/** What `page(item)` parses to, for consumers holding the item's type rather than its schema. */
export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * A list whose total may stop at a cap (src/db/counts.ts: a workspace's or a subtree's list
 * counts at most 10,000 rows): `totalCapped` true means more rows match than `total` says.
 */
export const cappedPage = <T extends z.ZodType>(item: T) =>
  page(item).extend({
    totalCapped: z.boolean().describe('true: more rows match than total, where the count stopped'),
  });
export interface CappedPage<T> extends Page<T> {
  totalCapped: boolean;
}

/** Boolean query flag: "true"/"false"/"1"/"0". */
export const queryBool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string().optional(),
    code: z.string(),
    errors: z
      .array(
        z.object({
          field: z.string(),
          code: z.string(),
          params: z.record(z.string(), z.unknown()).optional(),
          message: z.string(),
        }),
      )
      .optional()
      .describe(
        'the offending fields: a field-error code and its params (src/contracts/problems.ts), and an English message',
      ),
  })
  .passthrough()
  .describe('RFC 9457 problem details');

/** An error answer as the client reads it; a problem's own members (e.g. `missing`) ride along. */
export type Problem = z.infer<typeof problemSchema>;

/** Standard error responses every authenticated route can give. */
export const errorResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
} as const;

export const CSV_MEDIA_TYPE = 'text/csv';
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const fileBody = z.string().meta({ format: 'binary' });

/** A file download (CSV or xlsx, by the `format` asked for): documented with its media types, not as JSON. */
export const fileResponse = {
  200: {
    description: 'the file, as an attachment',
    content: { [CSV_MEDIA_TYPE]: { schema: fileBody }, [XLSX_MEDIA_TYPE]: { schema: fileBody } },
  },
} as const;

/** A CSV download. */
export const csvResponse = {
  200: { description: 'the file, as an attachment', content: { [CSV_MEDIA_TYPE]: { schema: fileBody } } },
} as const;

/** A stored file of any type, sent as it was uploaded. */
export const anyFileResponse = {
  200: {
    description: 'the file, as an attachment, with the type it was uploaded with',
    content: { '*/*': { schema: fileBody } },
  },
} as const;
