import { errorCodes, type FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';

type Done = (err: Error | null, body?: Buffer) => void;

/**
 * The content-type parser of a route whose body is a file (imports, quotas, attachments): the
 * request's bytes as one Buffer. Fastify's `parseAs: 'buffer'` keeps the chunks and joins them when
 * the last one arrives; for a 100,000-row import (17.7 MB) that one copy held the server's thread
 * 12-57 ms, and every other user's request with it. A body that declares its length is instead
 * copied into a Buffer of that size chunk by chunk as it arrives (each copy microseconds, in its
 * own 'data' event), so nothing is left to do at the end; one sent without a length is joined at
 * the end as before. Refusals are Fastify's own: over `limit` 413, a body longer or shorter than
 * its Content-Length 400 — checked here, since Fastify applies a parser's or a route's `bodyLimit`
 * only to its own `parseAs` parsers. Only an authenticated caller with the route's capability gets here
 * (src/server/auth-hooks.ts runs before the body is read), so the size it declares is allocated
 * when its first bytes come.
 */
export function rawBody(limit: number) {
  return (req: FastifyRequest, payload: Readable, done: Done): void => {
    const header = req.headers['content-length'];
    const declared = header === undefined ? null : Number(header);
    if (declared !== null && declared > limit) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    const sized = declared !== null && Number.isSafeInteger(declared) && declared >= 0;
    let filled: Buffer | null = null;
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (err: Error | null, body?: Buffer) => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onError);
      done(err, body);
    };
    const onData = (chunk: Buffer) => {
      const at = received;
      received += chunk.length;
      if (received > limit) return finish(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      if (!sized) return void chunks.push(chunk);
      if (received > declared) return finish(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      filled ??= Buffer.allocUnsafeSlow(declared);
      chunk.copy(filled, at);
    };
    const onEnd = () => {
      if (!sized) return finish(null, Buffer.concat(chunks, received));
      if (received !== declared) return finish(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      finish(null, filled ?? Buffer.alloc(0));
    };
    const onError = (err: Error & { statusCode?: number }) => {
      if (!(typeof err.statusCode === 'number' && err.statusCode >= 400)) err.statusCode = 400;
      finish(err);
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
    payload.resume();
  };
}
