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

const isoDate = fc
  .date({ min: new Date('1990-01-01'), max: new Date('2060-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const email = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9._]{0,12}[a-z0-9]$/), fc.stringMatching(/^[a-z]{1,10}\.(test|com|cn)$/))
  .filter(([local]) => !local.includes('..'))
  .map(([local, domain]) => `${local}@${domain}`);

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = (schema.minLength as number | undefined) ?? 0;
  const maxLength = Math.min((schema.maxLength as number | undefined) ?? 40, minLength + 40);
  const fits = (value: string) =>
    value.length >= minLength && value.length <= ((schema.maxLength as number | undefined) ?? Infinity);
  if (schema.format === 'date') return isoDate;
  if (schema.format === 'email') return email.filter(fits);
  if (schema.format === 'binary') return fc.string({ unit, maxLength });
  const pattern = schema.pattern as string | undefined;
  // The server's own patterns for free text (src/server/text-input.ts): no U+0000, and non-blank.
  if (pattern === NO_NUL_PATTERN) return fc.string({ unit: textUnit, minLength, maxLength });
  if (pattern === NON_BLANK_NO_NUL_PATTERN)
    return fc.string({ unit: textUnit, minLength, maxLength }).filter((v) => /\S/.test(v));
  if (pattern) return fc.stringMatching(new RegExp(pattern)).filter(fits);
  return fc.string({ unit, minLength, maxLength });
}

function integerOf(schema: JsonSchema, name: string): fc.Arbitrary<number> {
  const min =
    (schema.minimum as number | undefined) ??
    (schema.exclusiveMinimum !== undefined ? (schema.exclusiveMinimum as number) + 1 : -1e12);
  const max =
    (schema.maximum as number | undefined) ??
    (schema.exclusiveMaximum !== undefined ? (schema.exclusiveMaximum as number) - 1 : 1e12);
  const near = (from: number, span: number) =>
    fc.integer({ min: Math.max(min, from), max: Math.min(max, Math.max(min, from) + span) });
  const anywhere =
    max - min < 2 ** 31
      ? fc.integer({ min, max })
      : fc.bigInt({ min: BigInt(Math.ceil(min)), max: BigInt(Math.floor(max)) }).map(Number);
  if (/(^id$|Id$|^version$)/.test(name) || min >= 1)
    return fc.oneof({ arbitrary: near(1, 15), weight: 5 }, { arbitrary: anywhere, weight: 1 });
  return fc.oneof({ arbitrary: near(0, 100), weight: 3 }, { arbitrary: anywhere, weight: 1 });
}

function objectOf(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const extra = schema.additionalProperties;
  if (!schema.properties && extra && typeof extra === 'object') {
    const keys = schema.propertyNames
      ? (arbitraryOf(schema.propertyNames as JsonSchema) as fc.Arbitrary<string>)
      : fc.string({ unit, minLength: 1, maxLength: 20 });
    return fc.dictionary(keys, arbitraryOf(extra as JsonSchema), { maxKeys: 4 });
  }
  const model = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, arbitraryOf(v, k)]));
  return fc.record(model, {
    requiredKeys: ((schema.required ?? []) as string[]).filter((k) => k in model),
  }) as fc.Arbitrary<Record<string, unknown>>;
}

export function arbitraryOf(schema: JsonSchema, name = ''): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((a) => arbitraryOf(a, name)));
  if (Array.isArray(schema.type))
    return fc.oneof(...(schema.type as string[]).map((type) => arbitraryOf({ ...schema, type }, name)));
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integerOf(schema, name);
    case 'number':
      return fc.double({
        min: (schema.minimum as number | undefined) ?? -1e9,
        max: (schema.maximum as number | undefined) ?? 1e9,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'string':
      return stringOf(schema);
    case 'array': {
      const minLength = (schema.minItems as number | undefined) ?? 0;
      const maxLength = Math.min((schema.maxItems as number | undefined) ?? 4, minLength + 4);
      return fc.array(arbitraryOf((schema.items ?? {}) as JsonSchema, name), { minLength, maxLength });
    }
    case 'object':
      return objectOf(schema);
    default:
      return fc.oneof(fc.string({ unit, maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null));
  }
}
