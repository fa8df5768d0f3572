import type { JsonSchema, OperationObject } from './conformance.ts';
import type { Parts } from './requests.ts';
import { NON_BLANK_NO_NUL_PATTERN } from '../../../src/server/text-input.ts';

/**
 * Negative data: a valid request with exactly one documented rule broken. Each mutation is
 * invalid by the document itself, so a server that accepts it (2xx) documents less than it
 * checks or checks less than it documents — either is a failure.
 */

export interface Mutation {
  breaks: string;
  parts: Parts;
  raw?: { payload: string; mediaType: string };
}

const WRONG_VALUES: [string, unknown][] = [
  ['string', 'not-of-this-type'],
  ['integer', 12345],
  ['number', 1.5],
  ['boolean', true],
  ['object', { nested: 1 }],
  ['array', [1]],
  ['null', null],
];

/** The JSON types a schema allows ("integer" implies "number" is not fully allowed). */
function typesOf(schema: JsonSchema): Set<string> {
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return new Set(alternatives.flatMap((a) => [...typesOf(a)]));
  if (Array.isArray(schema.enum))
    return new Set(
      (schema.enum as unknown[]).map((v) => (v === null ? 'null' : Number.isInteger(v) ? 'integer' : typeof v)),
    );
  if ('const' in schema) return new Set([schema.const === null ? 'null' : typeof schema.const]);
  if (Array.isArray(schema.type)) return new Set(schema.type as string[]);
  if (typeof schema.type === 'string') return new Set(schema.type === 'number' ? ['number', 'integer'] : [schema.type]);
  return new Set(['string', 'integer', 'number', 'boolean', 'object', 'array', 'null']);
}

/** The non-null alternative of a nullable schema, whose constraints a value must break. */
const core = (s: JsonSchema): JsonSchema => (s.anyOf as JsonSchema[] | undefined)?.find((a) => a.type !== 'null') ?? s;

/** Values that break one constraint of the schema, named. */
export function violations(schema: JsonSchema): [string, unknown][] {
  const coreSchema = core(schema);
  const out: [string, unknown][] = [];
  const allowed = typesOf(schema);
  const wrong = WRONG_VALUES.find(([t]) => !allowed.has(t));
  if (wrong) out.push([`type ${wrong[0]} not allowed`, wrong[1]]);
  if (Array.isArray(coreSchema.enum)) out.push(['not one of the enumeration', '__not_a_value__']);
  if (coreSchema.type === 'string') {
    if (typeof coreSchema.maxLength === 'number')
      out.push(['longer than maxLength', 'x'.repeat(coreSchema.maxLength + 1)]);
    if (typeof coreSchema.minLength === 'number' && coreSchema.minLength > 0) out.push(['shorter than minLength', '']);
    if (coreSchema.pattern === NON_BLANK_NO_NUL_PATTERN) out.push(['whitespace only', '   ']);
    if (typeof coreSchema.pattern === 'string') out.push(['holds U+0000 (does not match the pattern)', 'a\u0000b']);
    if (coreSchema.format === 'email') out.push(['not an email', 'not-an-email']);
    if (coreSchema.format === 'date') out.push(['not a date', '2026-02-30']);
  }
  if (coreSchema.type === 'integer' || coreSchema.type === 'number') {
    if (typeof coreSchema.minimum === 'number') out.push(['below minimum', coreSchema.minimum - 1]);
    if (typeof coreSchema.exclusiveMinimum === 'number')
      out.push(['not above exclusiveMinimum', coreSchema.exclusiveMinimum]);
    if (typeof coreSchema.maximum === 'number' && coreSchema.maximum < Number.MAX_SAFE_INTEGER)
      out.push(['above maximum', coreSchema.maximum + 1]);
    if (coreSchema.type === 'integer' && !allowed.has('number')) out.push(['not an integer', 1.5]);
  }
  if (coreSchema.type === 'array' && typeof coreSchema.maxItems === 'number')
    out.push(['more than maxItems', Array.from({ length: coreSchema.maxItems + 1 }, () => null)]);
  return out;
}

/** Path and query parameters: broken values as a client would send them in a URL. */
export function invalidParams(op: OperationObject, base: Parts): Mutation[] {
  const out: Mutation[] = [];
  for (const param of op.parameters ?? []) {
    if (param.in !== 'path' && param.in !== 'query') continue;
    const place = param.in;
    const set = (value: unknown, breaks: string): Mutation => ({
      breaks: `${place}.${param.name}: ${breaks}`,
      parts: { ...base, [place]: { ...base[place], [param.name]: value } },
    });
    const paramSchema = core(param.schema);
    if (paramSchema.type === 'integer') {
      for (const value of ['0x10', '1e1', '1.0', '', ' 1', 'abc'])
        out.push(set(value, `not a decimal integer (${JSON.stringify(value)})`));
    }
    for (const [breaks, value] of violations(param.schema)) {
      // A query string carries only text: a wrong *type* there is a string that is not a number.
      if (breaks.startsWith('type ') || value === null || typeof value === 'object') continue;
      out.push(set(String(value), breaks));
    }
    if (place === 'query' && param.required) {
      const { [param.name]: _, ...query } = base.query;
      out.push({ breaks: `query.${param.name}: required but missing`, parts: { ...base, query } });
    }
  }
  return out;
}

/** JSON bodies: one property broken, missing or unknown, or the body itself wrong. */
export function invalidBodies(schema: JsonSchema, base: Parts): Mutation[] {
  const body = (base.body ?? {}) as Record<string, unknown>;
  const out: Mutation[] = [
    {
      breaks: 'body: malformed JSON',
      parts: base,
      raw: { payload: '{"unterminated": ', mediaType: 'application/json' },
    },
    { breaks: 'body: not JSON (text/plain)', parts: base, raw: { payload: 'plain text', mediaType: 'text/plain' } },
    { breaks: 'body: an array, not an object', parts: { ...base, body: [] } },
  ];
  if (schema.type !== 'object') return out;
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const name of (schema.required ?? []) as string[]) {
    const { [name]: _, ...rest } = body;
    out.push({ breaks: `body.${name}: required but missing`, parts: { ...base, body: rest } });
  }
  if (schema.additionalProperties === false)
    out.push({ breaks: 'body: unknown property', parts: { ...base, body: { ...body, __unknown__: 1 } } });
  for (const [name, propertySchema] of Object.entries(properties)) {
    for (const [breaks, value] of violations(propertySchema))
      out.push({ breaks: `body.${name}: ${breaks}`, parts: { ...base, body: { ...body, [name]: value } } });
  }
  return out;
}
