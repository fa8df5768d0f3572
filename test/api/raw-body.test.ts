import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { rawBody } from '../../src/server/raw-body.ts';

/**
 * The parser of the routes whose body is a file (src/server/raw-body.ts), over real HTTP: the bytes
 * arrive whole and in order whether the body declares its length or comes chunked, and a body over
 * the limit is refused with 413 either way.
 */
const LIMIT = 4 * 1024 * 1024;

/** Sends `parts` as the body, one write each, with a Content-Length or chunked; the status and the answer. */
function send(url: string, parts: Buffer[], sized: boolean): Promise<{ status: number; body: string }> {
  const length = parts.reduce((n, part) => n + part.length, 0);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          ...(sized ? { 'content-length': String(length) } : { 'transfer-encoding': 'chunked' }),
        },
      },
      (res) => {
        const got: Buffer[] = [];
        res.on('data', (chunk: Buffer) => got.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(got).toString() }));
      },
    );
    // The server may answer 413 and close before the whole body is written.
    req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'EPIPE' ? undefined : reject(err)));
    void (async () => {
      for (const part of parts) {
        if (!req.write(part)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })();
  });
}

const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const pieces = (bytes: Buffer, size: number) =>
  Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

describe('a file sent as the raw request body', () => {
  let app: FastifyInstance;
  let url: string;
  before(async () => {
    app = Fastify();
    app.addContentTypeParser('*', rawBody(LIMIT));
    // Answers the body's length and a digest of its bytes, so the test compares what arrived.
    app.post('/', { bodyLimit: LIMIT }, async (req) => {
      const body = req.body as Buffer;
      return { length: body.length, sha: digest(body) };
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => app.close());

  it('with a Content-Length, written in many pieces: every byte arrives, in order', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const answer = await send(url, pieces(bytes, 50_000), true);
    assert.equal(answer.status, 200, answer.body);
    assert.deepEqual(JSON.parse(answer.body), { length: bytes.length, sha: digest(bytes) });
  });

  it('chunked, without a length: every byte arrives, in order', async () => {
    const bytes = randomBytes(1024 * 1024 + 5);
    const answer = await send(url, pieces(bytes, 30_000), false);
    assert.equal(answer.status, 200, answer.body);
    assert.deepEqual(JSON.parse(answer.body), { length: bytes.length, sha: digest(bytes) });
  });

  it('an empty body arrives as an empty Buffer', async () => {
    const answer = await send(url, [], true);
    assert.equal(answer.status, 200, answer.body);
    assert.equal(JSON.parse(answer.body).length, 0);
  });

  it('over the limit: 413 when the length says so, and when a chunked body passes it', async () => {
    const over = Buffer.alloc(LIMIT + 1, 7);
    assert.equal((await send(url, pieces(over, 64 * 1024), true)).status, 413);
    assert.equal((await send(url, pieces(over, 64 * 1024), false)).status, 413);
    const exact = Buffer.alloc(LIMIT, 7);
    assert.equal((await send(url, pieces(exact, 64 * 1024), true)).status, 200, 'the limit itself is allowed');
  });
});
