import type { FastifyInstance } from 'fastify';
import { invalid } from './problem.ts';

/**
 * No text the API takes may hold U+0000: PostgreSQL cannot store it in `text` (the query
 * fails, a 500) and SQLite would keep a string no one can see the end of. Every string of a
 * JSON body, query and path is checked before validation, so the answer is the same 400 on
 * both engines whatever the route, and the OpenAPI document says so in each string's pattern.
 */
export const NO_NUL_PATTERN = '^[^\\u0000]*$';
/** Trimmed non-empty text (`\S`, src/contracts/common.ts `text`) without U+0000. */
export const NON_BLANK_NO_NUL_PATTERN = '^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$';

function nulAt(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = nulAt(child, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return undefined;
}

export function refuseNulCharacters(app: FastifyInstance): void {
  // A callback hook, as the headers' (src/server/app.ts): it runs before every request.
  app.addHook('preValidation', (req, _reply, done) => {
    const field = nulAt(req.params, 'path') ?? nulAt(req.query, 'query') ?? nulAt(req.body, '');
    if (field) return done(invalid(field, { code: 'nul_character' }, 'must not contain the NUL character (U+0000)'));
    done();
  });
}

type Schema = Record<string, unknown>;

/** Adds the pattern to every input string schema that does not already exclude U+0000. */
export function documentNoNul(schema: unknown): void {
  if (Array.isArray(schema)) return schema.forEach(documentNoNul);
  if (schema === null || typeof schema !== 'object') return;
  const jsonSchema = schema as Schema;
  const types = [jsonSchema.type].flat();
  if (
    types.includes('string') &&
    jsonSchema.enum === undefined &&
    jsonSchema.const === undefined &&
    jsonSchema.format === undefined
  ) {
    if (jsonSchema.pattern === undefined) jsonSchema.pattern = NO_NUL_PATTERN;
    else if (jsonSchema.pattern === '\\S') jsonSchema.pattern = NON_BLANK_NO_NUL_PATTERN;
  }
  for (const key of ['properties', 'patternProperties']) {
    if (jsonSchema[key] && typeof jsonSchema[key] === 'object')
      Object.values(jsonSchema[key] as Schema).forEach(documentNoNul);
  }
  for (const key of ['items', 'additionalProperties', 'anyOf', 'oneOf', 'allOf', 'prefixItems'])
    documentNoNul(jsonSchema[key]);
}
