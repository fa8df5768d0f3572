import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/config.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { insertSession } from '../../src/modules/auth/repository.ts';
import { sessionIdOf } from '../../src/modules/auth/service.ts';
import { z } from 'zod';
import { fastOkSerializer } from '../../src/server/fast-json.ts';
import { createTestDb, testEngines, type TestDb } from '../helpers/db.ts';

describe('fastOkSerializer', () => {
  // What Fastify sends is the answer's UTF-8 bytes, made once (src/server/fast-json.ts: a string
  // built piece by piece was measured and then encoded again by the socket).
  it('hands Fastify the UTF-8 bytes of the JSON, Chinese text included', () => {
    const schema = z.object({ name: z.string(), amount: z.number() });
    const serialize = fastOkSerializer(schema)({ httpStatus: '200' } as never) as (data: unknown) => unknown;
    const written = serialize({ name: '华锐 "quoted"', amount: 12.5 });
    assert.ok(Buffer.isBuffer(written), 'a Buffer, not a string');
    assert.equal(written.toString('utf8'), JSON.stringify({ name: '华锐 "quoted"', amount: 12.5 }));
  });
});

/**
 * The routes answered by fast-json-stringify (src/server/fast-json.ts: the desk and its cards, the
 * supervision view, the per-member funnel) write exactly the bytes the app's zod serializer
 * would have written for the same answer — no field dropped, renamed, reordered or coerced.
 * Each answer is caught before serialization and given to the zod serializer of the route's
 * own 200 schema; both outputs must be equal, on the demo company's varied rows (nulls,
 * Chinese names, every role's scope). `:process`, `:account` and `:opportunity` stand for the
 * rep's busiest deal's process, account and the deal itself.
 */
const REQUESTS: ['admin' | 'manager' | 'rep', string][] = [
  ['rep', '/api/v1/opportunities/attention?limit=5&offset=0'],
  ['rep', '/api/v1/accounts?overdue=true&archived=false&sort=tier&limit=5&offset=0'],
  ['rep', '/api/v1/opportunities?status=open&minProbability=11&sort=expectedCloseDate&limit=5&offset=0'],
  ['rep', '/api/v1/cadence/accounts?mine=true&limit=50&offset=0'],
  ['rep', '/api/v1/desk'],
  ['manager', '/api/v1/desk?limit=100'],
  ['rep', '/api/v1/accounts?limit=100'],
  ['rep', '/api/v1/opportunities?limit=100'],
  ['manager', '/api/v1/cadence/compliance'],
  ['manager', '/api/v1/opportunities/attention?limit=100'],
  ['manager', '/api/v1/cadence/accounts?state=overdue&limit=100'],
  ['admin', '/api/v1/cadence/compliance'],
  ['admin', '/api/v1/accounts?limit=200&sort=name'],
  ['rep', '/api/v1/contacts?limit=100'],
  ['admin', '/api/v1/contacts?limit=200&sort=accountName'],
  ['admin', '/api/v1/opportunities?limit=200&status=won'],
  ['admin', '/api/v1/opportunities?limit=200&status=lost'],
  ['admin', '/api/v1/funnel/members?scope=workspace'],
  ['admin', '/api/v1/opportunities/board'],
  ['admin', '/api/v1/opportunities/board?processId=:process'],
  ['manager', '/api/v1/opportunities/board?processId=:process'],
  ['rep', '/api/v1/opportunities/board?processId=:process&closeFrom=2020-01-01&closeTo=2030-12-31'],
  ['rep', '/api/v1/accounts/:account/timeline?limit=200'],
  ['admin', '/api/v1/opportunities/:opportunity/timeline?limit=200'],
];

for (const engine of testEngines()) {
  describe(`fast serializers write what the zod serializer writes [${engine}]`, () => {
    let db: TestDb;
    let app: FastifyInstance;
    const cookies: Record<string, string> = {};
    /** The answer of the last request, as the route returned it, with the route's 200 schema. */
    let caught: { payload: unknown; schema: unknown; url: string } | null = null;
    const ids: Record<string, number> = {};

    before(async () => {
      db = await createTestDb(engine);
      const { workspaceId } = await loadDemo(db, { force: true });
      app = await buildApp(db, loadConfig({ KEYLINE_DATA_DIR: '/tmp/keyline-unused', LOG_LEVEL: 'silent' }), {
        logger: false,
      });
      app.addHook('preSerialization', async (req, reply, payload) => {
        const schema = (req.routeOptions.schema?.response as Record<string, unknown> | undefined)?.[200];
        if (reply.statusCode === 200 && schema) caught = { payload, schema, url: req.routeOptions.url ?? '' };
        return payload;
      });
      await app.ready();
      // The rep's deal with the most history rows: a timeline of every kind, a board of its process.
      const deal = await db.kysely
        .selectFrom('opportunities')
        .innerJoin('users', 'users.id', 'opportunities.owner_id')
        .leftJoin('record_history', (join) =>
          join
            .onRef('record_history.entity_id', '=', 'opportunities.id')
            .on('record_history.entity_type', '=', 'opportunity'),
        )
        .select(['opportunities.id', 'opportunities.account_id', 'opportunities.process_id'])
        .select((eb) => eb.fn.count('record_history.id').as('changes'))
        .where('users.email', '=', 'rep@demo.keyline.dev')
        .groupBy(['opportunities.id', 'opportunities.account_id', 'opportunities.process_id'])
        .orderBy('changes', 'desc')
        .orderBy('opportunities.id')
        .executeTakeFirstOrThrow();
      Object.assign(ids, { process: deal.process_id, account: deal.account_id, opportunity: deal.id });
      for (const who of ['admin', 'manager', 'rep']) {
        const user = await db.kysely
          .selectFrom('users')
          .select('id')
          .where('email', '=', `${who}@demo.keyline.dev`)
          .executeTakeFirstOrThrow();
        const token = `fast-serializers-${who}`;
        await insertSession(db.kysely, {
          id: sessionIdOf(token),
          workspaceId,
          userId: user.id,
          now: Date.now(),
          expiresAt: Date.now() + 3_600_000,
          ip: null,
          userAgent: 'test',
        });
        cookies[who] = `keyline_session=${token}`;
      }
    });
    after(async () => {
      await app.close();
      await db.dispose();
    });

    for (const [who, url] of REQUESTS) {
      it(`${who} ${url}`, async () => {
        caught = null;
        const res = await app.inject({
          method: 'GET',
          url: url.replace(/:(process|account|opportunity)\b/g, (_, name: string) => String(ids[name])),
          headers: { cookie: cookies[who]! },
        });
        assert.equal(res.statusCode, 200, res.body);
        assert.ok(caught, 'the answer was caught before serialization');
        const { payload, schema, url: route } = caught as { payload: unknown; schema: unknown; url: string };
        const zod = serializerCompiler({ schema, method: 'GET', url: route, httpStatus: '200' } as never) as (
          data: unknown,
        ) => string;
        assert.equal(res.body, zod(payload));
        assert.equal(res.headers['content-length'], String(Buffer.byteLength(res.body)), 'the length of its bytes');
        const answer = JSON.parse(res.body) as { items?: unknown[]; columns?: { cards: unknown[] }[] };
        assert.ok(answer.items === undefined || answer.items.length > 0, 'the demo gives this request rows to write');
        assert.ok(answer.columns === undefined || answer.columns.some((column) => column.cards.length > 0), 'cards');
      });
    }
  });
}
