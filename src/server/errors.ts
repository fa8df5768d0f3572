import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { fieldIssueOf, type ValidationIssue } from '../contracts/common.ts';
import type { ProblemCode } from '../contracts/problems.ts';
import { AppError, fieldError, PROBLEM_MEDIA_TYPE, toProblem, type FieldError } from './problem.ts';
import { isDatabaseUnavailable, isSqliteBusy } from '../db/dialect.ts';

const CONTEXT_PREFIX: Record<string, string> = { body: '', querystring: 'query.', params: 'path.', headers: 'header.' };

/** Zod issue → field error: "/stages/2/name" → "stages.2.name", with the issue's code and params; unknown keys name each key. */
function fieldErrors(
  err: { validation: (ValidationIssue & { instancePath: string; keyword: string })[] },
  context: string,
): FieldError[] {
  const prefix = CONTEXT_PREFIX[context] ?? '';
  return err.validation.flatMap((issue) => {
    const path = issue.instancePath.split('/').filter(Boolean).join('.');
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params.keys)) {
      return (issue.params.keys as string[]).map((key) =>
        fieldError(prefix + (path ? `${path}.${key}` : key), { code: 'unknown_field' }, 'is not a known field'),
      );
    }
    return [
      fieldError(
        prefix + (path || '(root)'),
        fieldIssueOf({ code: issue.keyword, message: issue.message, params: issue.params }),
        issue.message,
      ),
    ];
  });
}

/** Fastify's own client errors, by status, as codes of the table. */
const FASTIFY_CODES: Record<number, ProblemCode> = { 413: 'payload_too_large', 415: 'unsupported_media_type' };

/** One error handler for the whole API: everything leaves as problem+json with a code of the table. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, req, reply) => {
    reply.type(PROBLEM_MEDIA_TYPE);
    if (error instanceof AppError) {
      const retryAfter =
        error.code === 'rate_limited' ? (error as AppError<'rate_limited'>).params?.retryAfterSeconds : undefined;
      if (retryAfter) reply.header('retry-after', String(retryAfter));
      return reply.code(error.status).send(toProblem(error.code, error.message, error.errors, error.params));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = fieldErrors(error as never, (error as FastifyError).validationContext ?? 'body');
      const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      return reply.code(400).send(toProblem('validation_failed', detail, errors));
    }
    if (isSqliteBusy(error)) {
      // Another connection (a large import committing) holds the write lock; nothing of this
      // request was written. The web client retries; integrations should too.
      reply.header('retry-after', '1');
      return reply.code(503).send(toProblem('busy', 'The database is busy with a large change; try again in a moment'));
    }
    if (isDatabaseUnavailable(error)) {
      // PostgreSQL is restarting or out of reach. The process stays up and the pool reconnects
      // on the next request; a write that failed here may or may not have committed if the
      // connection broke during COMMIT, which is why the web client does not retry writes on it.
      req.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', '5');
      return reply
        .code(503)
        .send(toProblem('unavailable', 'The database cannot be reached right now; try again in a moment'));
    }
    if (isResponseSerializationError(error)) {
      req.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
      return reply.code(500).send(toProblem('internal', 'Internal error'));
    }
    const fe = error as FastifyError;
    const status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
    if (status === 500) {
      req.log.error({ err: error }, 'unhandled error');
      return reply.code(500).send(toProblem('internal', 'Internal error'));
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
      return reply
        .code(400)
        .send(
          toProblem('malformed_body', 'body: malformed JSON', [
            fieldError('body', { code: 'malformed_json' }, 'malformed JSON'),
          ]),
        );
    }
    if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      const message = 'must not be empty when Content-Type is application/json';
      return reply
        .code(400)
        .send(toProblem('malformed_body', `body: ${message}`, [fieldError('body', { code: 'required' }, message)]));
    }
    const code = FASTIFY_CODES[status] ?? 'bad_request';
    // The status stays Fastify's (a 405, a 406…); the code says which kind of client error it is.
    return reply.code(status).send({ ...toProblem(code, fe.message), status });
  });
}
