import type { RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../contracts/common.ts';
import type { Access } from './access.ts';
import { PROBLEM_MEDIA_TYPE, problemTitle } from './problem.ts';
import { documentNoNul } from './text-input.ts';

/**
 * The OpenAPI document is generated from the route declarations, and this transform adds what
 * every route answers besides its own schemas, so the document says exactly what the server
 * does (issue 13 item 11; test/api/fuzz.test.ts and the conformance check every API test runs
 * hold it to that):
 *  - errors are `application/problem+json` (src/server/errors.ts sends nothing else);
 *  - the statuses the framework and the hooks give any route: 400 (validation), 401 and 403
 *    (the access declaration, src/server/auth-hooks.ts; 403 also for a cross-site write), 413 and
 *    415 (a body too large or of a type the route does not parse), 503 (the database is busy or
 *    unreachable) — a route lists only what its own code adds (404, 409, 422...);
 *  - no input string may hold U+0000 (src/server/text-input.ts), each says so in its pattern;
 *  - `security` from `config.access`: a public route needs no session;
 *  - raw uploads (`schema.upload`): the body as the bytes it is, with its media types.
 */

/** A route that takes a file as its raw body (not JSON): documented as that, not as "no body". */
export interface RawUpload {
  mediaTypes: readonly string[];
  description: string;
}

declare module 'fastify' {
  interface FastifySchema {
    upload?: RawUpload;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type Transform = typeof jsonSchemaTransform;
type Transformed = ReturnType<Transform>;

interface JsonResponses {
  [status: string]: Record<string, unknown>;
}

/** The statuses any route can give, whatever its handler does (see above). */
export function genericStatuses(method: string, access: Access | undefined, hasInput: boolean): number[] {
  const statuses = [503];
  if (hasInput || WRITE_METHODS.has(method)) statuses.push(400);
  if (access !== 'public') statuses.push(401, 403);
  if (WRITE_METHODS.has(method)) statuses.push(403, 413, 415);
  return statuses;
}

let problemJsonSchema: Record<string, unknown> | undefined;
function problemJson(): Record<string, unknown> {
  if (!problemJsonSchema) {
    const { $schema: _, ...json } = z.toJSONSchema(problemSchema, { target: 'draft-2020-12', io: 'output' }) as Record<
      string,
      unknown
    >;
    problemJsonSchema = json;
  }
  return structuredClone(problemJsonSchema);
}

export const openApiTransform: Transform = (doc) => {
  const out = jsonSchemaTransform(doc) as Transformed & { schema: Record<string, unknown> };
  const schema = out.schema;
  if (!schema || schema.hide) return out;
  const route = (doc as unknown as { route: RouteOptions }).route;
  const access = route.config?.access;
  const method = [route.method].flat()[0]!.toUpperCase();

  if (access === 'public') schema.security = [];
  for (const part of ['body', 'querystring', 'params']) documentNoNul(schema[part]);

  const upload = schema.upload as RawUpload | undefined;
  if (upload) {
    delete schema.upload;
    const binary = { type: 'string', format: 'binary', description: upload.description };
    schema.body = { content: Object.fromEntries(upload.mediaTypes.map((t) => [t, { schema: binary }])) };
  }

  const responses = (schema.response ?? {}) as JsonResponses;
  const hasInput = Boolean(schema.body || schema.querystring || schema.params);
  for (const status of genericStatuses(method, access, hasInput)) {
    responses[status] ??= problemJson();
  }
  for (const [status, body] of Object.entries(responses)) {
    if (Number(status) < 400 || 'content' in body) continue;
    const { description, ...rest } = body;
    responses[status] = {
      description: typeof description === 'string' ? description : problemTitle(Number(status)),
      content: { [PROBLEM_MEDIA_TYPE]: { schema: rest } },
    };
  }
  schema.response = responses;
  return out;
};
