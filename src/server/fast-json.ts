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
  return (route) =>
    String(route.httpStatus) === '200'
      ? stringify
      : (serializerCompiler as FastifySerializerCompiler<unknown>)(route as never);
}
