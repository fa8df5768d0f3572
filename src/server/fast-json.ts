import type { FastifySerializerCompiler } from 'fastify';
import fastJson from 'fast-json-stringify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * A serializer for a route whose 200 answer is large (the per-member funnel of a 2,000-person
 * scope): written by fast-json-stringify from the contract's JSON Schema instead of checked
 * by zod and then passed through JSON.stringify. The service's return type is the contract's,
 * so the check would only repeat what the compiler proved; the cost it saves grows with the
 * rows. Other statuses (problems) keep the app's zod serializer.
 */
export function fastOkSerializer(schema: z.ZodType): FastifySerializerCompiler<unknown> {
  const stringify = fastJson(z.toJSONSchema(schema, { target: 'draft-7', io: 'output' }) as never);
  // Handed to Fastify as its UTF-8 bytes: fast-json-stringify builds the text piece by piece (a
  // rope), which Fastify flattened to measure its Content-Length and the socket then encoded
  // again; one Buffer.from flattens and encodes once (a 41 KB list answer over HTTP: 204–209 →
  // 185–188 µs of the server's CPU, docs/benchmarks.md "The request's own cost, 6–7 December night").
  const bytes = (data: unknown) => Buffer.from(stringify(data));
  return (route) =>
    String(route.httpStatus) === '200'
      ? (bytes as unknown as (data: unknown) => string)
      : (serializerCompiler as FastifySerializerCompiler<unknown>)(route as never);
}
