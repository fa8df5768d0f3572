import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { testEngines } from '../helpers/db.ts';
import { createTestApp, seedWorkspace, sessionCookie, type Fixture, type TestApp } from '../helpers/app.ts';
import { startServer, serverEnvFor } from '../helpers/server.ts';

const KILLS = 10;
const WRITERS = 4;

/** A seeded generator, so a failing run can be repeated (KEYLINE_TEST_SEED). */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let value = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * README § Deployment, "fault figures": the server is killed with SIGKILL (no shutdown, no
 * flush) in the middle of a burst of writes, ten times, restarting each time. Every write it
 * acknowledged (201) must be there afterwards, exactly once and whole (the account and the
 * owner-history row written in the same transaction), and the database must check clean.
 */
for (const engine of testEngines()) {
  describe(`kill -9 during writes (${engine})`, { timeout: 240_000 }, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-crash-'));
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'crash');
    });
    after(async () => {
      await testApp.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it(`${KILLS} kills during write bursts lose no acknowledged row and leave the database consistent`, async () => {
      const seed = Number(process.env.KEYLINE_TEST_SEED ?? Date.now() % 100_000);
      const random = mulberry32(seed);
      const cookie = await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id);
      const acknowledged = new Map<number, string>();
      let attempted = 0;
      let cutOff = 0;
      for (let round = 0; round < KILLS; round++) {
        const server = await startServer(serverEnvFor(testApp.db, dataDir), 60_000);
        const exited = new Promise<void>((resolve) => server.proc.once('exit', () => resolve()));
        let writing = true;
        const writer = async (writerIndex: number) => {
          for (let i = 0; writing; i++) {
            const name = `断电测试客户${round}-${writerIndex}-${i}号有限公司`;
            attempted++;
            try {
              const res = await fetch(`${server.url}/api/v1/accounts`, {
                method: 'POST',
                headers: { cookie, 'content-type': 'application/json' },
                body: JSON.stringify({ name, allowSimilarName: true }),
              });
              if (res.status !== 201) throw new Error(`${res.status} ${await res.text()}`);
              acknowledged.set(((await res.json()) as { id: number }).id, name);
            } catch (err) {
              // The kill: the connection drops and the write was not acknowledged.
              if (writing) throw err;
              cutOff++;
              return;
            }
          }
        };
        const before = acknowledged.size;
        const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
        // Writes flowing (the first acknowledged), a random burst more, then the kill with writes in flight.
        const deadline = Date.now() + 30_000;
        while (acknowledged.size === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        await new Promise((r) => setTimeout(r, 100 + random() * 400));
        server.proc.kill('SIGKILL');
        writing = false;
        await Promise.all(writers);
        await exited;
      }
      assert.ok(acknowledged.size > KILLS, `only ${acknowledged.size} writes were acknowledged (seed ${seed})`);

      const kysely = testApp.db.kysely;
      const rows = await kysely
        .selectFrom('accounts')
        .select(['id', 'name'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('name', 'like', '断电测试客户%')
        .execute();
      const stored = new Map(rows.map((r) => [r.id, r.name]));
      const lost = [...acknowledged].filter(([id, name]) => stored.get(id) !== name);
      assert.deepEqual(lost, [], `acknowledged writes lost (seed ${seed})`);
      // Whole or not at all: every stored account, acknowledged or cut off after its commit, has its owner-history row.
      const history = await kysely
        .selectFrom('record_history')
        .select(['entity_id'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('entity_type', '=', 'account')
        .where('field', '=', 'owner')
        .where('entity_id', 'in', rows.length ? rows.map((r) => r.id) : [0])
        .execute();
      assert.equal(history.length, rows.length, 'one owner-history row per stored account');
      assert.equal(new Set(history.map((h) => h.entity_id)).size, rows.length);
      assert.equal(new Set(rows.map((r) => r.name)).size, rows.length, 'no write stored twice');

      if (engine === 'sqlite') {
        assert.deepEqual(testApp.db.sqlite!.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
        assert.deepEqual(testApp.db.sqlite!.pragma('foreign_key_check'), []);
      } else {
        // PostgreSQL's own checker (amcheck): every B-tree index of the schema is sound and holds
        // exactly the rows of its table (heapallindexed). It raises an error on the first fault.
        await sql`create extension if not exists amcheck`.execute(kysely);
        const checked = await sql<{ n: number }>`
          select count(bt_index_check(c.oid, true))::int as n
          from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am am on am.oid = c.relam
          join pg_namespace ns on ns.oid = c.relnamespace
          where am.amname = 'btree' and ns.nspname = current_schema() and c.relpersistence = 'p'`.execute(kysely);
        assert.ok(Number(checked.rows[0]!.n) > 10, 'the indexes were checked');
      }
      console.log(
        `# ${engine}: ${KILLS} kills, ${attempted} writes sent, ${acknowledged.size} acknowledged, ${rows.length} stored, ${cutOff} cut off by the kill, 0 lost (seed ${seed})`,
      );
    });
  });
}
