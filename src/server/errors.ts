import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, PROBLEM_MEDIA_TYPE, toProblem, type FieldError } from './problem.ts';
import { isSqliteBusy } from '../db/dialect.ts';

const CONTEXT_PREFIX: Record<string, string> = { body: '', querystring: 'query.', params: 'path.', headers: 'header.' };

/** Zod issue → field path: "/stages/2/name" → "stages.2.name"; unknown keys name each key. */
function fieldErrors(err: { validation: { instancePath: string; message: string; keyword: string; params: Record<string, unknown> }[] }, context: string): FieldError[] {
  const prefix = CONTEXT_PREFIX[context] ?? '';
  return err.validation.flatMap((v) => {
    const path = v.instancePath.split('/').filter(Boolean).join('.');
    if (v.keyword === 'unrecognized_keys' && Array.isArray(v.params.keys)) {
      return (v.params.keys as string[]).map((k) => ({ field: prefix + (path ? `${path}.${k}` : k), message: 'is not a known field' }));
    }
    return [{ field: prefix + (path || '(root)'), message: v.message }];
  });
}

/** One error handler for the whole API: everything leaves as problem+json. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, req, reply) => {
    reply.type(PROBLEM_MEDIA_TYPE);
    if (error instanceof AppError) {
      if (error.status === 429 && error.extra?.retryAfterSeconds) reply.header('retry-after', String(error.extra.retryAfterSeconds));
      return reply.code(error.status).send(toProblem(error.status, error.code, error.message, error.errors, error.extra));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = fieldErrors(error as never, (error as FastifyError).validationContext ?? 'body');
      const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      return reply.code(400).send(toProblem(400, 'validation_failed', detail, errors));
    }
    if (isSqliteBusy(error)) {
      // Another connection (a large import committing) holds the write lock; nothing of this
      // request was written. The web client retries; integrations should too.
      reply.header('retry-after', '1');
      return reply.code(503).send(toProblem(503, 'busy', 'The database is busy with a large change; try again in a moment'));
    }
    if (isResponseSerializationError(error)) {
      req.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
      return reply.code(500).send(toProblem(500, 'internal', 'Internal error'));
    }
    const fe = error as FastifyError;
    const status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
    if (status === 500) {
      req.log.error({ err: error }, 'unhandled error');
      return reply.code(500).send(toProblem(500, 'internal', 'Internal error'));
    }
    const detail = fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
      ? 'body: malformed JSON'
      : fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
        ? "body: must not be empty when Content-Type is application/json"
        : fe.message;
    const errors = /^body:/.test(detail) ? [{ field: 'body', message: detail.replace(/^body: /, '') }] : undefined;
    return reply.code(status).send(toProblem(status, (fe.code ?? 'bad_request').toLowerCase(), detail, errors));
  });
}
