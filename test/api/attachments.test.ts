import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { JOBS } from '../../src/server/housekeeping.ts';
import type { Problem } from '../../src/contracts/common.ts';
import type { Attachment } from '../../src/contracts/attachments.ts';
import {
  client,
  createTestApp,
  json,
  seedExtras,
  seedWorkspace,
  sessionCookie,
  type Call,
  type Extras,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';

interface Opp {
  id: number;
  version: number;
  stageId: number;
}

const upload = (call: Call, body: Buffer | string, fileName = '方案.pdf', type = 'application/pdf') =>
  call(
    'POST',
    `/api/v1/attachments?fileName=${encodeURIComponent(fileName)}`,
    typeof body === 'string' ? Buffer.from(body) : body,
    { 'content-type': type },
  );

for (const engine of testEngines()) {
  describe(`attachments: evidence files (docs/sales-process.md) [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture & Extras;
    let other: Fixture & Extras;
    let as: Record<'admin' | 'manager' | 'rep' | 'rep2' | 'otherAdmin', Call>;
    before(async () => {
      testApp = await createTestApp(engine);
      const base = await seedWorkspace(testApp, 'att');
      fixture = { ...base, ...(await seedExtras(testApp, base)) };
      const ob = await seedWorkspace(testApp, 'att-other');
      other = { ...ob, ...(await seedExtras(testApp, ob)) };
      as = {
        admin: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id)),
        manager: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id)),
        rep: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id)),
        rep2: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep2.id)),
        otherAdmin: client(testApp, await sessionCookie(testApp, other.workspaceId, other.users.admin.id)),
      };
    });
    after(() => testApp.close());

    /** A rep's opportunity entered at the Proposal stage (with the Intent stage's evidence), whose exit needs an attachment (proposal_sent). */
    const proposalOpp = async () =>
      json<Opp>(
        await as.rep('POST', '/api/v1/opportunities', {
          accountId: fixture.accounts.repAccount,
          name: `方案阶段项目 ${Math.random()}`,
          processId: fixture.processes.small.id,
          stageId: fixture.processes.small.stageIds[1],
          amount: 80_000_00,
          expectedCloseDate: '2027-03-31',
          evidence: [
            { stageId: fixture.processes.small.stageIds[0], key: 'need_confirmed', note: '老客户扩产' },
            { stageId: fixture.processes.small.stageIds[0], key: 'budget_known' },
          ],
        }),
      );
    const toNegotiation = (opportunity: Opp, attachmentId: number) =>
      as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: fixture.processes.small.stageIds[2],
        evidence: [
          { stageId: opportunity.stageId, key: 'proposal_sent', attachmentId },
          { stageId: opportunity.stageId, key: 'proposal_accepted', note: '客户技术部认可' },
        ],
      });

    it('stores any file in the database and gives the same bytes back with its name and type', async () => {
      const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10, 0x80]);
      const res = await upload(as.rep, bytes, '报价单 v2.pdf');
      assert.equal(res.statusCode, 201, res.body);
      const attachment = json<Attachment>(res);
      assert.deepEqual(
        { fileName: attachment.fileName, size: attachment.size, contentType: attachment.contentType },
        { fileName: '报价单 v2.pdf', size: 8, contentType: 'application/pdf' },
      );
      const down = await as.rep('GET', `/api/v1/attachments/${attachment.id}`);
      assert.equal(down.statusCode, 200);
      assert.deepEqual(down.rawPayload, bytes);
      assert.equal(down.headers['content-type'], 'application/pdf');
      assert.match(
        String(down.headers['content-disposition']),
        /^attachment; .*filename\*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95%20v2\.pdf/,
      );
      assert.equal(down.headers['x-content-type-options'], 'nosniff');
    });

    it('serves a file as a download under its own sandbox policy, never as a page of the app', async () => {
      const html = json<Attachment>(
        await upload(as.rep, '<script>fetch("/api/v1/users")</script>', 'x.html', 'text/html'),
      );
      const down = await as.rep('GET', `/api/v1/attachments/${html.id}`);
      assert.equal(down.statusCode, 200);
      assert.match(String(down.headers['content-disposition']), /^attachment;/);
      assert.equal(down.headers['x-content-type-options'], 'nosniff');
      const policy = String(down.headers['content-security-policy']);
      assert.match(policy, /^sandbox(;|$)/, policy);
      assert.doesNotMatch(policy, /script-src 'self'/, "not the app's own policy");
      assert.match(String(down.headers['cache-control']), /no-store/);
    });

    it('keeps a JSON or text file as bytes, and a missing type as octet-stream', async () => {
      const attachment = json<Attachment>(await upload(as.rep, '{"a": 1}', 'data.json', 'application/json'));
      assert.equal(attachment.size, 8);
      assert.equal((await as.rep('GET', `/api/v1/attachments/${attachment.id}`)).body, '{"a": 1}');
      const untyped = json<Attachment>(await as.rep('POST', '/api/v1/attachments?fileName=x.bin', Buffer.from('x')));
      assert.equal(untyped.contentType, 'application/octet-stream');
      const text = json<Attachment>(await upload(as.rep, '纪要', 'notes.txt', 'text/plain; charset=utf-8'));
      assert.equal(text.contentType, 'text/plain');
      assert.equal(text.size, 6, 'the size counts bytes, not characters');
    });

    it('refuses an empty body, a missing name and a file over 10 MB, naming the field', async () => {
      const empty = await upload(as.rep, Buffer.alloc(0));
      assert.equal(empty.statusCode, 400);
      assert.equal(json<Problem>(empty).errors![0]!.field, 'file');
      const noName = await as.rep('POST', '/api/v1/attachments', Buffer.from('x'), { 'content-type': 'text/plain' });
      assert.equal(noName.statusCode, 400);
      assert.equal(json<Problem>(noName).errors![0]!.field, 'query.fileName');
      const big = await upload(as.rep, Buffer.alloc(10 * 1024 * 1024 + 1, 1), 'big.zip', 'application/zip');
      assert.equal(big.statusCode, 413);
      assert.equal(json<Problem>(big).errors![0]!.field, 'file');
      const countRow = await testApp.db.kysely
        .selectFrom('attachments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('file_name', '=', 'big.zip')
        .executeTakeFirstOrThrow();
      assert.equal(Number(countRow.n), 0);
    });

    it('lets only the uploader download an unlinked file; once it is evidence, whoever sees the opportunity', async () => {
      const attachment = json<Attachment>(await upload(as.rep, 'proposal'));
      assert.equal((await as.manager('GET', `/api/v1/attachments/${attachment.id}`)).statusCode, 404);
      assert.equal((await as.rep2('GET', `/api/v1/attachments/${attachment.id}`)).statusCode, 404);
      assert.equal(
        (await as.otherAdmin('GET', `/api/v1/attachments/${attachment.id}`)).statusCode,
        404,
        'another workspace never sees it',
      );
      const opportunity = await proposalOpp();
      const moved = await toNegotiation(opportunity, attachment.id);
      assert.equal(moved.statusCode, 200, moved.body);
      const row = await testApp.db.kysely
        .selectFrom('attachments')
        .select('opportunity_id')
        .where('id', '=', attachment.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.opportunity_id, opportunity.id, 'the move links the file to the opportunity');
      assert.equal(
        (await as.manager('GET', `/api/v1/attachments/${attachment.id}`)).body,
        'proposal',
        'the manager above the owner sees the evidence',
      );
      assert.equal((await as.admin('GET', `/api/v1/attachments/${attachment.id}`)).statusCode, 200);
      assert.equal(
        (await as.rep2('GET', `/api/v1/attachments/${attachment.id}`)).statusCode,
        404,
        'a rep of another branch does not',
      );
      const listed = json<{ items: { id: number; fileName: string; size: number; uploadedByName: string }[] }>(
        await as.manager('GET', `/api/v1/opportunities/${opportunity.id}/attachments`),
      ).items;
      assert.deepEqual(
        listed.map((l) => [l.id, l.fileName, l.size, l.uploadedByName]),
        [[attachment.id, '方案.pdf', 8, 'rep att']],
      );
      assert.equal((await as.rep2('GET', `/api/v1/opportunities/${opportunity.id}/attachments`)).statusCode, 404);
      assert.equal((await as.otherAdmin('GET', `/api/v1/opportunities/${opportunity.id}/attachments`)).statusCode, 404);
      const history = json<{ items: { exitEvidence: { key: string; attachmentId?: number | null }[] }[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/stage-history`),
      ).items;
      // history[0] is the Intent stage the opportunity skipped on creation; [1] the Proposal stage it left.
      assert.equal(history[1]!.exitEvidence.find((e) => e.key === 'proposal_sent')!.attachmentId, attachment.id);
    });

    it('refuses evidence files that do not exist, belong to another workspace, another opportunity, or someone who cannot see it', async () => {
      const opportunity = await proposalOpp();
      const field = `evidence.${opportunity.stageId}.proposal_sent`;
      const expectRefused = async (attachmentId: number, why: string) => {
        const res = await toNegotiation(opportunity, attachmentId);
        assert.equal(res.statusCode, 400, `${why}: ${res.body}`);
        assert.equal(json<Problem>(res).errors![0]!.field, field, why);
      };
      await expectRefused(999_999, 'unknown id');
      const foreign = json<Attachment>(await upload(as.otherAdmin, 'other company'));
      await expectRefused(foreign.id, 'another workspace');
      await expectRefused(fixture.attachments.repProof, 'evidence of another opportunity');
      const rep2File = json<Attachment>(await upload(as.rep2, 'rep2 file'));
      await expectRefused(rep2File.id, 'uploaded by a rep who cannot see the opportunity');
      const stage = await testApp.db.kysely
        .selectFrom('opportunities')
        .select(['stage_id', 'version'])
        .where('id', '=', opportunity.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(stage, { stage_id: opportunity.stageId, version: opportunity.version }, 'nothing moved');
      const linked = await testApp.db.kysely
        .selectFrom('attachments')
        .select('opportunity_id')
        .where('id', 'in', [foreign.id, rep2File.id])
        .execute();
      assert.deepEqual(
        linked.map((l) => l.opportunity_id),
        [null, null],
      );
      // A manager's upload is fine evidence for the rep's opportunity: the manager can see it.
      const mine = json<Attachment>(await upload(as.manager, 'manager scan'));
      assert.equal((await toNegotiation(opportunity, mine.id)).statusCode, 200);
    });

    it('deletes uploads never used as evidence after a week, keeping evidence and recent uploads', async () => {
      const fresh = json<Attachment>(await upload(as.rep, 'fresh'));
      const stale = json<Attachment>(await upload(as.rep, 'stale'));
      const weekAgo = Date.now() - 8 * 24 * 60 * 60_000;
      await testApp.db.kysely
        .updateTable('attachments')
        .set({ created_at: weekAgo })
        .where('id', 'in', [stale.id, fixture.attachments.repProof])
        .execute();
      const job = JOBS.find((j) => j.name === 'attachments.cleanup')!;
      assert.match(await job.run(testApp.db, testApp.config, Date.now()), /^\d+ unused uploads deleted$/);
      const left = (
        await testApp.db.kysely
          .selectFrom('attachments')
          .select('id')
          .where('id', 'in', [fresh.id, stale.id, fixture.attachments.repProof])
          .orderBy('id')
          .execute()
      ).map((r) => r.id);
      assert.deepEqual(
        left,
        [fixture.attachments.repProof, fresh.id].sort((x, y) => x - y),
      );
    });
  });
}
