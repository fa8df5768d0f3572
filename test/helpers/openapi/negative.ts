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
function typesOf(s: JsonSchema): Set<string> {
  const alternatives = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return new Set(alternatives.flatMap((a) => [...typesOf(a)]));
  if (Array.isArray(s.enum)) return new Set((s.enum as unknown[]).map((v) => (v === null ? 'null' : Number.isInteger(v) ? 'integer' : typeof v)));
  if ('const' in s) return new Set([s.const === null ? 'null' : typeof s.const]);
  if (Array.isArray(s.type)) return new Set(s.type as string[]);
  if (typeof s.type === 'string') return new Set(s.type === 'number' ? ['number', 'integer'] : [s.type]);
  return new Set(['string', 'integer', 'number', 'boolean', 'object', 'array', 'null']);
}

/** The non-null alternative of a nullable schema, whose constraints a value must break. */
const core = (s: JsonSchema): JsonSchema => ((s.anyOf as JsonSchema[] | undefined)?.find((a) => a.type !== 'null') ?? s);

/** Values that break one constraint of the schema, named. */
export function violations(schema: JsonSchema): [string, unknown][] {
  const s = core(schema);
  const out: [string, unknown][] = [];
  const allowed = typesOf(schema);
  const wrong = WRONG_VALUES.find(([t]) => !allowed.has(t));
  if (wrong) out.push([`type ${wrong[0]} not allowed`, wrong[1]]);
  if (Array.isArray(s.enum)) out.push(['not one of the enumeration', '__not_a_value__']);
  if (s.type === 'string') {
    if (typeof s.maxLength === 'number') out.push(['longer than maxLength', 'x'.repeat(s.maxLength + 1)]);
    if (typeof s.minLength === 'number' && s.minLength > 0) out.push(['shorter than minLength', '']);
    if (s.pattern === NON_BLANK_NO_NUL_PATTERN) out.push(['whitespace only', '   ']);
    if (typeof s.pattern === 'string') out.push(['holds U+0000 (does not match the pattern)', 'a\u0000b']);
    if (s.format === 'email') out.push(['not an email', 'not-an-email']);
    if (s.format === 'date') out.push(['not a date', '2026-02-30']);
  }
  if (s.type === 'integer' || s.type === 'number') {
    if (typeof s.minimum === 'number') out.push(['below minimum', s.minimum - 1]);
    if (typeof s.exclusiveMinimum === 'number') out.push(['not above exclusiveMinimum', s.exclusiveMinimum]);
    if (typeof s.maximum === 'number' && s.maximum < Number.MAX_SAFE_INTEGER) out.push(['above maximum', s.maximum + 1]);
    if (s.type === 'integer' && !allowed.has('number')) out.push(['not an integer', 1.5]);
  }
  if (s.type === 'array' && typeof s.maxItems === 'number') out.push(['more than maxItems', Array.from({ length: s.maxItems + 1 }, () => null)]);
  return out;
}

/** Path and query parameters: broken values as a client would send them in a URL. */
export function invalidParams(op: OperationObject, base: Parts): Mutation[] {
  const out: Mutation[] = [];
  for (const p of op.parameters ?? []) {
    if (p.in !== 'path' && p.in !== 'query') continue;
    const place = p.in;
    const set = (value: unknown, breaks: string): Mutation => ({ breaks: `${place}.${p.name}: ${breaks}`, parts: { ...base, [place]: { ...base[place], [p.name]: value } } });
    const s = core(p.schema);
    if (s.type === 'integer') {
      for (const v of ['0x10', '1e1', '1.0', '', ' 1', 'abc']) out.push(set(v, `not a decimal integer (${JSON.stringify(v)})`));
    }
    for (const [breaks, v] of violations(p.schema)) {
      // A query string carries only text: a wrong *type* there is a string that is not a number.
      if (breaks.startsWith('type ') || v === null || typeof v === 'object') continue;
      out.push(set(String(v), breaks));
    }
    if (place === 'query' && p.required) {
      const { [p.name]: _, ...query } = base.query;
      out.push({ breaks: `query.${p.name}: required but missing`, parts: { ...base, query } });
    }
  }
  return out;
}

/** JSON bodies: one property broken, missing or unknown, or the body itself wrong. */
export function invalidBodies(schema: JsonSchema, base: Parts): Mutation[] {
  const body = (base.body ?? {}) as Record<string, unknown>;
  const out: Mutation[] = [
    { breaks: 'body: malformed JSON', parts: base, raw: { payload: '{"unterminated": ', mediaType: 'application/json' } },
    { breaks: 'body: not JSON (text/plain)', parts: base, raw: { payload: 'plain text', mediaType: 'text/plain' } },
    { breaks: 'body: an array, not an object', parts: { ...base, body: [] } },
  ];
  if (schema.type !== 'object') return out;
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const name of (schema.required ?? []) as string[]) {
    const { [name]: _, ...rest } = body;
    out.push({ breaks: `body.${name}: required but missing`, parts: { ...base, body: rest } });
  }
  if (schema.additionalProperties === false) out.push({ breaks: 'body: unknown property', parts: { ...base, body: { ...body, __unknown__: 1 } } });
  for (const [name, s] of Object.entries(properties)) {
    for (const [breaks, v] of violations(s)) out.push({ breaks: `body.${name}: ${breaks}`, parts: { ...base, body: { ...body, [name]: v } } });
  }
  return out;
}
