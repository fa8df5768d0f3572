/**
 * Imports whose process stopped (issue 14 item 7), and imports never committed (item 2).
 * A job stuck in "committing" used to stay so forever (commit: not_validated, validate:
 * import_busy). Now its lease runs out and it is marked interrupted, saying what happened,
 * and can be validated again; the kill -9 test shows on a real server process that the
 * interrupted commit left nothing half-written.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/database.ts';
import { ABANDONED_AFTER_MS, recoverInterrupted } from '../../src/modules/imports/lease.ts';
import { JOBS } from '../../src/server/housekeeping.ts';
import { createTestDb, testEngines, type TestDb } from '../helpers/db.ts';
import { httpLogin, startServer } from '../helpers/server.ts';
import type { ImportJob } from '../../src/contracts/imports.ts';
import {
  client,
  createTestApp,
  json,
  seedWorkspace,
  sessionCookie,
  type Call,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';

type Job = ImportJob;

for (const engine of testEngines()) {
  describe(`import recovery [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let manager: Call;
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'rec');
      manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
    });
    after(() => testApp.close());

    const settle = async (id: number): Promise<Job> => {
      for (let i = 0; i < 400; i++) {
        const job = json<Job>(await manager('GET', `/api/v1/imports/${id}`));
        if (!['reading', 'validating', 'committing'].includes(job.status)) return job;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`import ${id} did not finish`);
    };
    const uploadValidated = async (names: string[]) => {
      const job = json<Job & { suggestedMapping: Record<string, number | null> }>(
        await manager(
          'POST',
          '/api/v1/imports?kind=accounts&fileName=r.csv',
          Buffer.from(['客户名称', ...names].join('\n')),
          { 'content-type': 'text/csv' },
        ),
      );
      assert.equal(
        (
          await manager('POST', `/api/v1/imports/${job.id}/validate`, {
            mapping: job.suggestedMapping,
            duplicateMode: 'skip',
          })
        ).statusCode,
        202,
      );
      assert.equal((await settle(job.id)).status, 'validated');
      return job.id;
    };
    const setJob = (id: number, set: { status?: string; lease_expires_at?: number | null; updated_at?: number }) =>
      testApp.db.kysely.updateTable('import_jobs').set(set).where('id', '=', id).execute();
    const rowsOf = async (id: number) =>
      Number(
        (
          await testApp.db.kysely
            .selectFrom('import_rows')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('job_id', '=', id)
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('marks a commit whose lease ran out as interrupted, says so, and lets it be validated and committed again', async () => {
      const id = await uploadValidated(['恢复测试甲有限公司', '恢复测试乙有限公司']);
      const now = Date.now();
      // What a process killed while committing leaves behind: "committing", its lease running out.
      await setJob(id, { status: 'committing', lease_expires_at: now - 1 });
      const live = await uploadValidated(['恢复测试丙有限公司']);
      await setJob(live, { status: 'committing', lease_expires_at: now + 60_000 });
      assert.equal(
        (await manager('POST', `/api/v1/imports/${id}/commit`, { skipErrors: false })).statusCode,
        409,
        'stuck: the bug',
      );

      // The app's own sweep (every 15 s) may get there first: the outcome is the same.
      await recoverInterrupted(testApp.db.kysely, now);
      const job = json<Job>(await manager('GET', `/api/v1/imports/${id}`));
      assert.equal(job.status, 'failed');
      assert.match(job.failure ?? '', /^interrupted: the server stopped during the commit; nothing was saved/);
      assert.deepEqual(job.failureInfo, { code: 'interrupted', phase: 'committing' });
      assert.equal(
        json<Job>(await manager('GET', `/api/v1/imports/${live}`)).status,
        'committing',
        'a job whose lease is alive belongs to a running process',
      );

      const again = await manager('POST', `/api/v1/imports/${id}/validate`, {
        mapping: { name: 0 },
        duplicateMode: 'skip',
      });
      assert.equal(again.statusCode, 202, again.body);
      assert.equal((await settle(id)).failureInfo, null);
      assert.equal((await manager('POST', `/api/v1/imports/${id}/commit`, { skipErrors: false })).statusCode, 202);
      const done = await settle(id);
      assert.equal(done.status, 'committed', done.failure ?? '');
      assert.deepEqual(done.result, { created: 2, updated: 0, skipped: 0 });
      await setJob(live, { status: 'validated', lease_expires_at: null });
    });

    it('drops the rows of an import interrupted while reading: the file must be uploaded again', async () => {
      const id = await uploadValidated(['读取中断有限公司']);
      await setJob(id, { status: 'reading', lease_expires_at: null });
      await recoverInterrupted(testApp.db.kysely);
      const job = json<Job>(await manager('GET', `/api/v1/imports/${id}`));
      assert.deepEqual(
        [job.status, job.totalRows, job.failureInfo],
        ['failed', 0, { code: 'interrupted', phase: 'reading' }],
      );
      assert.equal(await rowsOf(id), 0);
      const res = await manager('POST', `/api/v1/imports/${id}/validate`, {
        mapping: { name: 0 },
        duplicateMode: 'skip',
      });
      assert.equal(res.statusCode, 409);
      assert.equal(json<{ code: string }>(res).code, 'import_without_rows');
    });

    it('removes the rows of imports never committed within a day, and only theirs (housekeeping)', async () => {
      const old = await uploadValidated(['放弃导入有限公司']);
      const recent = await uploadValidated(['新近导入有限公司']);
      const now = Date.now();
      await setJob(old, { updated_at: now - ABANDONED_AFTER_MS - 1 });
      const cleanup = JOBS.find((j) => j.name === 'imports.cleanup')!;
      assert.equal(await cleanup.run(testApp.db, testApp.config, now), '1 abandoned imports emptied');
      assert.equal(await rowsOf(old), 0);
      assert.equal(await rowsOf(recent), 1);
      const job = json<Job>(await manager('GET', `/api/v1/imports/${old}`));
      assert.deepEqual([job.status, job.totalRows, job.failureInfo?.code], ['failed', 0, 'expired']);
      assert.equal(
        await cleanup.run(testApp.db, testApp.config, now),
        '0 abandoned imports emptied',
        'nothing left to remove',
      );
    });
  });

  describe(`import killed during commit [${engine}]`, () => {
    let pgDb: TestDb | undefined;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-import-kill-'));
    after(async () => {
      await pgDb?.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('a server killed (SIGKILL) mid-commit leaves nothing written; after restart the job says it was interrupted and can be redone', async () => {
      const env: Record<string, string> = { KEYLINE_DATA_DIR: dataDir };
      if (engine === 'postgres') {
        pgDb = await createTestDb('postgres');
        env.DATABASE_URL = pgDb.url;
      }
      const db = engine === 'postgres' ? pgDb! : openDatabase({ sqliteFile: path.join(dataDir, 'keyline.db') });
      const ROWS = 12_000;
      const prefix = `断电测试${Date.now().toString(36)}`;
      const imported = async () =>
        Number(
          (
            await db.kysely
              .selectFrom('accounts')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('name', 'like', `${prefix}%`)
              .executeTakeFirstOrThrow()
          ).n,
        );
      let server = await startServer(env, 120_000);
      try {
        let cookie = await httpLogin(server.url, 'manager@demo.keyline.dev', 'keyline-demo');
        const call = async (method: string, apiPath: string, body?: unknown) => {
          const res = await fetch(`${server.url}/api/v1${apiPath}`, {
            method,
            headers: {
              cookie,
              ...(body !== undefined && { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' }),
            },
            body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
          });
          return {
            status: res.status,
            body: (await res.json()) as Job & { suggestedMapping: Record<string, number | null> },
          };
        };
        const waitFor = async (id: number, done: (job: Job) => boolean) => {
          for (let i = 0; i < 3000; i++) {
            const job = (await call('GET', `/imports/${id}`)).body;
            if (done(job)) return job;
            await new Promise((r) => setTimeout(r, 10));
          }
          throw new Error('timed out');
        };
        const csv = ['客户名称', ...Array.from({ length: ROWS }, (_, i) => `${prefix}${i}号有限公司`)].join('\n');
        const up = await call('POST', '/imports?kind=accounts&fileName=kill.csv', csv);
        assert.equal(up.status, 201);
        const id = up.body.id;
        await call('POST', `/imports/${id}/validate`, { mapping: up.body.suggestedMapping, duplicateMode: 'skip' });
        assert.equal((await waitFor(id, (j) => j.status !== 'validating')).status, 'validated');
        await call('POST', `/imports/${id}/commit`, { skipErrors: false });
        // Rows are being written inside the commit's transaction: kill the server there.
        const caught = await waitFor(id, (j) => j.status !== 'committing' || j.processedRows > 0);
        assert.equal(caught.status, 'committing', 'the commit ended before the kill; make the file larger');
        server.proc.kill('SIGKILL');
        await new Promise((r) => server.proc.once('exit', r));

        assert.equal(await imported(), 0, 'all or nothing: no row of the killed commit is in the database');
        const stuck = await db.kysely
          .selectFrom('import_jobs')
          .select(['status', 'lease_expires_at'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        assert.equal(stuck.status, 'committing');
        assert.ok(stuck.lease_expires_at! > Date.now() - 60_000, 'the dead process held a lease');
        // Its lease would run out within 30 s; move it there rather than wait.
        await db.kysely
          .updateTable('import_jobs')
          .set({ lease_expires_at: Date.now() - 1 })
          .where('id', '=', id)
          .execute();

        server = await startServer(env, 120_000);
        cookie = await httpLogin(server.url, 'manager@demo.keyline.dev', 'keyline-demo');
        const recovered = await waitFor(id, (j) => j.status !== 'committing');
        assert.equal(recovered.status, 'failed');
        assert.deepEqual(recovered.failureInfo, { code: 'interrupted', phase: 'committing' });
        assert.match(recovered.failure ?? '', /nothing was saved/);
        assert.equal(await imported(), 0);

        assert.equal(
          (await call('POST', `/imports/${id}/validate`, { mapping: up.body.suggestedMapping, duplicateMode: 'skip' }))
            .status,
          202,
        );
        assert.equal((await waitFor(id, (j) => j.status !== 'validating')).status, 'validated');
        assert.equal((await call('POST', `/imports/${id}/commit`, { skipErrors: false })).status, 202);
        const done = await waitFor(id, (j) => j.status !== 'committing');
        assert.equal(done.status, 'committed', done.failure ?? '');
        assert.equal(await imported(), ROWS);
      } finally {
        await server.stop();
        if (engine === 'sqlite') await db.close();
      }
    });
  });
}
