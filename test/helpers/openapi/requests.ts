import fc from 'fast-check';
import { arbitraryOf } from './arbitrary.ts';
import { invalidBodies, invalidParams } from './negative.ts';
import type { JsonSchema, OpenApiDocument, OperationObject } from './conformance.ts';

/**
 * Requests generated from the OpenAPI document, Schemathesis-style: positive ones from the
 * schemas, negative ones that break exactly one documented rule (test/helpers/openapi/negative.ts).
 */

export interface Operation {
  method: string;
  /** The documented path, "/api/v1/users/{id}". */
  path: string;
  /** The Fastify route, "/api/v1/users/:id", as the answers are recorded. */
  route: string;
  op: OperationObject;
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** Negative requests name the rule they break; the server must refuse them with a 4xx. */
  breaks?: string;
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      route: path.replace(/\{(\w+)\}/g, ':$1'),
      op,
    })),
  );
}

export interface Parts {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  body?: unknown;
  mediaType?: string;
}

const JSON_TYPE = 'application/json';

/** The request body's media type: JSON if documented, else the first concrete type of a raw upload. */
function bodyMediaType(op: OperationObject): string | undefined {
  const types = Object.keys(op.requestBody?.content ?? {});
  if (!types.length) return undefined;
  if (types.includes(JSON_TYPE)) return JSON_TYPE;
  return types.map((t) => (t === '*/*' ? 'application/octet-stream' : t))[0];
}

function partsArbitrary(op: OperationObject): fc.Arbitrary<Parts> {
  const params = op.parameters ?? [];
  const group = (where: 'path' | 'query') => {
    const ps = params.filter((p) => p.in === where);
    const model = Object.fromEntries(ps.map((p) => [p.name, arbitraryOf(p.schema, p.name)]));
    return fc.record(model, { requiredKeys: ps.filter((p) => p.required || where === 'path').map((p) => p.name) });
  };
  const mediaType = bodyMediaType(op);
  const bodySchema = mediaType
    ? (op.requestBody!.content[mediaType] ?? op.requestBody!.content['*/*'])?.schema
    : undefined;
  return fc
    .record({
      path: group('path'),
      query: group('query'),
      body: bodySchema ? arbitraryOf(bodySchema) : fc.constant(undefined),
    })
    .map((p) => ({ ...p, ...(mediaType ? { mediaType } : {}) }));
}

export function toRequest(
  operation: Operation,
  parts: Parts,
  breaks?: string,
  rawPayload?: { payload: string; mediaType: string },
): FuzzRequest {
  const url = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(parts.path[name])));
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(parts.query))
    if (value !== undefined) query.append(key, typeof value === 'string' ? value : JSON.stringify(value));
  const qs = query.toString();
  const req: FuzzRequest = {
    method: operation.method,
    url: qs ? `${url}?${qs}` : url,
    headers: {},
    ...(breaks ? { breaks } : {}),
  };
  if (rawPayload) {
    req.headers['content-type'] = rawPayload.mediaType;
    req.payload = rawPayload.payload;
  } else if (parts.mediaType && parts.body !== undefined) {
    req.headers['content-type'] = parts.mediaType;
    req.payload = parts.mediaType === JSON_TYPE ? JSON.stringify(parts.body) : String(parts.body);
  }
  return req;
}

/** `count` valid requests for the operation, the same ones for the same seed. */
export function positiveRequests(operation: Operation, seed: number, count: number): FuzzRequest[] {
  return fc.sample(partsArbitrary(operation.op), { seed, numRuns: count }).map((p) => toRequest(operation, p));
}

/** Up to `count` requests that each break one documented rule; malformed JSON always among them for a JSON body. */
export function negativeRequests(operation: Operation, seed: number, count: number): FuzzRequest[] {
  const [base] = fc.sample(partsArbitrary(operation.op), { seed, numRuns: 1 });
  const mediaType = bodyMediaType(operation.op);
  const bodySchema = mediaType === JSON_TYPE ? operation.op.requestBody!.content[JSON_TYPE]!.schema : undefined;
  const all = [
    ...invalidParams(operation.op, base!),
    ...(bodySchema ? invalidBodies(bodySchema as JsonSchema, base!) : []),
  ];
  const forced = all.filter((m) => m.breaks === 'body: malformed JSON');
  const rest = all.filter((m) => !forced.includes(m));
  const picked =
    rest.length <= count - forced.length
      ? rest
      : fc.sample(fc.shuffledSubarray(rest, { minLength: count - forced.length, maxLength: count - forced.length }), {
          seed,
          numRuns: 1,
        })[0]!;
  return [...forced, ...picked].map((m) => toRequest(operation, m.parts, m.breaks, m.raw));
}
