import fc from 'fast-check';
import type { JsonSchema } from './conformance.ts';
import { NON_BLANK_NO_NUL_PATTERN, NO_NUL_PATTERN } from '../../../src/server/text-input.ts';

/**
 * fast-check arbitraries from the JSON Schemas of /api/openapi.json: values the document says
 * are valid. Ids and versions lean to small numbers so that they often name a real record of
 * the seeded workspace; strings mix ASCII, Chinese, whitespace and control characters.
 */

const unit = fc.oneof(
  { arbitrary: fc.constantFrom(...'abcxyzABC019_-.@/'.split('')), weight: 6 },
  { arbitrary: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c)), weight: 3 },
  { arbitrary: fc.constantFrom(' ', '\t', '\n', '\u3000'), weight: 1 },
  { arbitrary: fc.constantFrom('\u0000', '\u001f', '\u202e', '"', "'", '\\', '%', '<'), weight: 1 },
);

const textUnit = unit.filter((c) => c !== '\u0000');

const isoDate = fc.date({ min: new Date('1990-01-01'), max: new Date('2060-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const email = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9._]{0,12}[a-z0-9]$/), fc.stringMatching(/^[a-z]{1,10}\.(test|com|cn)$/))
  .filter(([local]) => !local.includes('..'))
  .map(([local, domain]) => `${local}@${domain}`);

function stringOf(s: JsonSchema): fc.Arbitrary<string> {
  const minLength = (s.minLength as number | undefined) ?? 0;
  const maxLength = Math.min((s.maxLength as number | undefined) ?? 40, minLength + 40);
  const fits = (v: string) => v.length >= minLength && v.length <= ((s.maxLength as number | undefined) ?? Infinity);
  if (s.format === 'date') return isoDate;
  if (s.format === 'email') return email.filter(fits);
  if (s.format === 'binary') return fc.string({ unit, maxLength });
  const pattern = s.pattern as string | undefined;
  // The server's own patterns for free text (src/server/text-input.ts): no U+0000, and non-blank.
  if (pattern === NO_NUL_PATTERN) return fc.string({ unit: textUnit, minLength, maxLength });
  if (pattern === NON_BLANK_NO_NUL_PATTERN) return fc.string({ unit: textUnit, minLength, maxLength }).filter((v) => /\S/.test(v));
  if (pattern) return fc.stringMatching(new RegExp(pattern)).filter(fits);
  return fc.string({ unit, minLength, maxLength });
}

function integerOf(s: JsonSchema, name: string): fc.Arbitrary<number> {
  const min = (s.minimum as number | undefined) ?? (s.exclusiveMinimum !== undefined ? (s.exclusiveMinimum as number) + 1 : -1e12);
  const max = (s.maximum as number | undefined) ?? (s.exclusiveMaximum !== undefined ? (s.exclusiveMaximum as number) - 1 : 1e12);
  const near = (from: number, span: number) => fc.integer({ min: Math.max(min, from), max: Math.min(max, Math.max(min, from) + span) });
  const anywhere = max - min < 2 ** 31 ? fc.integer({ min, max }) : fc.bigInt({ min: BigInt(Math.ceil(min)), max: BigInt(Math.floor(max)) }).map(Number);
  if (/(^id$|Id$|^version$)/.test(name) || min >= 1) return fc.oneof({ arbitrary: near(1, 15), weight: 5 }, { arbitrary: anywhere, weight: 1 });
  return fc.oneof({ arbitrary: near(0, 100), weight: 3 }, { arbitrary: anywhere, weight: 1 });
}

function objectOf(s: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
  const extra = s.additionalProperties;
  if (!s.properties && extra && typeof extra === 'object') {
    const keys = s.propertyNames ? (arbitraryOf(s.propertyNames as JsonSchema) as fc.Arbitrary<string>) : fc.string({ unit, minLength: 1, maxLength: 20 });
    return fc.dictionary(keys, arbitraryOf(extra as JsonSchema), { maxKeys: 4 });
  }
  const model = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, arbitraryOf(v, k)]));
  return fc.record(model, { requiredKeys: ((s.required ?? []) as string[]).filter((k) => k in model) }) as fc.Arbitrary<Record<string, unknown>>;
}

export function arbitraryOf(s: JsonSchema, name = ''): fc.Arbitrary<unknown> {
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const alternatives = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((a) => arbitraryOf(a, name)));
  if (Array.isArray(s.type)) return fc.oneof(...(s.type as string[]).map((type) => arbitraryOf({ ...s, type }, name)));
  switch (s.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integerOf(s, name);
    case 'number':
      return fc.double({ min: (s.minimum as number | undefined) ?? -1e9, max: (s.maximum as number | undefined) ?? 1e9, noNaN: true, noDefaultInfinity: true });
    case 'string':
      return stringOf(s);
    case 'array': {
      const minLength = (s.minItems as number | undefined) ?? 0;
      const maxLength = Math.min((s.maxItems as number | undefined) ?? 4, minLength + 4);
      return fc.array(arbitraryOf((s.items ?? {}) as JsonSchema, name), { minLength, maxLength });
    }
    case 'object':
      return objectOf(s);
    default:
      return fc.oneof(fc.string({ unit, maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null));
  }
}
