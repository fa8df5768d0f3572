import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, PASSWORD, seedWorkspace, type Fixture, type TestApp } from '../helpers/app.ts';
import { capabilities } from '../../src/domain/policy.ts';
import {
  FREE_FAILURES_PER_PAIR,
  MAX_FAILURES_PER_ACCOUNT,
  MAX_FAILURES_PER_ADDRESS,
} from '../../src/modules/auth/service.ts';

for (const engine of testEngines()) {
  describe(`sign-in and sessions [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    before(async () => {
      testApp = await createTestApp(engine, { sessionIdleMs: 60 * 60_000, sessionAbsoluteMs: 24 * 60 * 60_000 });
      fixture = await seedWorkspace(testApp, 'a');
    });
    after(() => testApp.close());

    const login = (email: string, password: string, ip = '10.0.0.1') =>
      testApp.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password },
        remoteAddress: ip,
      });

    it('signs in with email and password and sets an HttpOnly SameSite session cookie', async () => {
      const res = await login(fixture.users.rep.email.toUpperCase(), PASSWORD);
      assert.equal(res.statusCode, 200);
      const body = json<{ user: { email: string; role: string }; capabilities: string[] }>(res);
      assert.equal(body.user.email, fixture.users.rep.email);
      assert.equal(body.user.role, 'rep');
      // The answer is the policy's decision for the signed-in user (the list grows with every area).
      assert.deepEqual([...body.capabilities].sort(), [...capabilities({ role: 'rep', exportGranted: false })].sort());
      for (const held of ['accounts.read', 'accounts.create', 'opportunities.write', 'pool.claim', 'import'])
        assert.ok(body.capabilities.includes(held), held);
      for (const withheld of ['accounts.manage', 'pool.assign', 'users.administer', 'audit.read', 'export'])
        assert.ok(!body.capabilities.includes(withheld), withheld);
      const cookie = res.cookies.find((c) => c.name === 'keyline_session');
      assert.ok(cookie && cookie.value.length >= 40);
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');
      assert.equal(cookie.secure, undefined, 'not Secure over plain HTTP');
      const me = await client(testApp, `keyline_session=${cookie.value}`)('GET', '/api/v1/auth/me');
      assert.equal(me.statusCode, 200);
      assert.equal(json<{ user: { id: number } }>(me).user.id, fixture.users.rep.id);
    });

    it('marks the cookie Secure when served over HTTPS', async () => {
      const secure = await createTestApp(engine, { secureCookies: 'always' });
      try {
        const secureFixture = await seedWorkspace(secure, 's');
        const res = await secure.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: secureFixture.users.rep.email, password: PASSWORD },
        });
        assert.equal(res.cookies.find((c) => c.name === 'keyline_session')?.secure, true);
      } finally {
        await secure.close();
      }
    });

    it('issues a fresh session id at every sign-in and stores only its hash', async () => {
      const loginA = await login(fixture.users.manager.email, PASSWORD);
      const loginB = await login(fixture.users.manager.email, PASSWORD);
      const ta = loginA.cookies[0]!.value;
      const tb = loginB.cookies[0]!.value;
      assert.notEqual(ta, tb);
      const rows = await testApp.db.kysely
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', fixture.users.manager.id)
        .execute();
      assert.ok(rows.length >= 2);
      assert.ok(rows.every((r) => r.id !== ta && r.id !== tb && /^[0-9a-f]{64}$/.test(r.id)));
    });

    it('answers 401 to a wrong password and to an unknown email, and logs both', async () => {
      const wrong = await login(fixture.users.finance.email, 'not-the-password', '10.0.0.2');
      assert.equal(wrong.statusCode, 401);
      assert.equal(wrong.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(json(wrong).code, 'unauthenticated');
      assert.equal(wrong.cookies.length, 0);
      const unknown = await login('nobody@nowhere.test', 'whatever-1', '10.0.0.2');
      assert.equal(unknown.statusCode, 401);
      const log = await testApp.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'subject', 'detail', 'workspace_id'])
        .where('ip', '=', '10.0.0.2')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        log.map((l) => [l.action, l.subject]),
        [
          ['auth.login.failure', fixture.users.finance.email],
          ['auth.login.failure', 'nobody@nowhere.test'],
        ],
      );
      assert.equal(log[0]!.workspace_id, fixture.workspaceId);
      assert.match(log[0]!.detail!, /wrong_password/);
      assert.equal(log[1]!.workspace_id, null);
    });

    it('logs successful sign-ins in the audit log', async () => {
      await login(fixture.users.presales.email, PASSWORD, '10.0.0.3');
      const row = await testApp.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('ip', '=', '10.0.0.3')
        .executeTakeFirstOrThrow();
      assert.equal(row.action, 'auth.login.success');
      assert.equal(row.actor_user_id, fixture.users.presales.id);
    });

    it('throttles an account after repeated failures, even with the right password, across addresses', async () => {
      const email = fixture.users.auditor.email;
      for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
        assert.equal((await login(email, 'bad-password', `10.1.0.${i}`)).statusCode, 401);
      }
      const blocked = await login(email, PASSWORD, '10.1.1.1');
      assert.equal(blocked.statusCode, 429);
      assert.equal(blocked.headers['retry-after'], '900');
      // Another account is not affected.
      assert.equal((await login(fixture.users.executive.email, PASSWORD, '10.1.1.1')).statusCode, 200);
      // After the window the account can sign in again.
      await testApp.db.kysely
        .updateTable('audit_log')
        .set((eb) => ({ created_at: eb('created_at', '-', 16 * 60_000) }))
        .where('subject', '=', email)
        .execute();
      assert.equal((await login(email, PASSWORD, '10.1.1.1')).statusCode, 200);
    });

    it('counts parallel guesses: a burst gets no more than the limit of tries, and the log one throttle row', async () => {
      const email = fixture.users.finance.email;
      await testApp.db.kysely
        .updateTable('audit_log')
        .set((eb) => ({ created_at: eb('created_at', '-', 16 * 60_000) }))
        .where('subject', '=', email)
        .execute();
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => login(email, `guess-${i}`, `10.3.0.${i}`)),
      );
      const codes = answers.map((a) => a.statusCode);
      assert.equal(codes.filter((c) => c === 401).length, MAX_FAILURES_PER_ACCOUNT, codes.join());
      assert.equal(codes.filter((c) => c === 429).length, 20 - MAX_FAILURES_PER_ACCOUNT);
      const throttled = await testApp.db.kysely
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'auth.login.throttled')
        .where('subject', '=', email)
        .execute();
      assert.equal(throttled.length, 1);
    });

    it('slows a guesser at one address, more with every try, without locking the owner out from another', async () => {
      const email = fixture.users.rep.email;
      const guesser = '10.6.0.1';
      for (let i = 0; i < FREE_FAILURES_PER_PAIR; i++)
        assert.equal((await login(email, `guess-${i}`, guesser)).statusCode, 401);
      // The wait counts from the last failure's start; a loaded machine spends a second or two on its password check.
      const waits = (res: { headers: Record<string, unknown> }, seconds: number) => {
        const retryAfter = Number(res.headers['retry-after']);
        assert.ok(
          retryAfter <= seconds && retryAfter >= seconds - 5,
          `retry-after ${retryAfter}, expected ~${seconds}`,
        );
      };
      const slowed = await login(email, PASSWORD, guesser);
      assert.equal(slowed.statusCode, 429);
      waits(slowed, 30);
      // The owner, elsewhere, signs in; that does not reset the guesser's count.
      assert.equal((await login(email, PASSWORD, '10.6.9.9')).statusCode, 200);
      assert.equal((await login(email, 'guess-x', guesser)).statusCode, 429);
      // Once the wait is over the guesser gets one more try, and the next wait is twice as long.
      const back = (ms: number) =>
        testApp.db.kysely
          .updateTable('audit_log')
          .set((eb) => ({ created_at: eb('created_at', '-', ms) }))
          .where('subject', '=', email)
          .where('ip', '=', guesser)
          .execute();
      await back(31_000);
      assert.equal((await login(email, 'guess-y', guesser)).statusCode, 401);
      waits(await login(email, 'guess-z', guesser), 60);
      await back(61_000);
      assert.equal((await login(email, 'guess-z', guesser)).statusCode, 401);
      waits(await login(email, 'guess-z', guesser), 120);
    });

    it("guessing at one account from many addresses closes it to new addresses only: the owner's usual address stays open", async () => {
      const email = fixture.users.presales.email; // signed in from 10.0.0.3 above
      for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++)
        assert.equal((await login(email, 'bad-password', `10.5.0.${i}`)).statusCode, 401);
      const stranger = await login(email, PASSWORD, '10.5.1.1');
      assert.equal(stranger.statusCode, 429);
      assert.equal(stranger.headers['retry-after'], '900');
      assert.equal((await login(email, PASSWORD, '10.0.0.3')).statusCode, 200);
    });

    it('throttles an address that tries many accounts', async () => {
      const ip = '10.2.0.1';
      for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) await login(`guess${i}@x.test`, 'bad-password', ip);
      const blocked = await login(fixture.users.executive.email, PASSWORD, ip);
      assert.equal(blocked.statusCode, 429);
      assert.equal((await login(fixture.users.executive.email, PASSWORD, '10.2.0.2')).statusCode, 200);
      const countRow = await testApp.db.kysely
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', 'auth.login.throttled')
        .where('ip', '=', ip)
        .executeTakeFirstOrThrow();
      assert.equal(Number(countRow.n), 1);
    });

    it('rejects bad sign-in input with the field named', async () => {
      const res = await testApp.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'a@b.test' },
      });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(
        json<{ errors: { field: string }[] }>(res).errors.map((e) => e.field),
        ['password'],
      );
      const malformed = await testApp.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"email": "a@b.test", ',
      });
      assert.equal(malformed.statusCode, 400);
      assert.match(json<{ detail: string }>(malformed).detail, /malformed JSON/);
    });

    it('ends a session after the idle timeout and after the absolute timeout', async () => {
      const loginA = await login(fixture.users.rep2.email, PASSWORD, '10.3.0.1');
      const cookieA = `keyline_session=${loginA.cookies[0]!.value}`;
      assert.equal((await client(testApp, cookieA)('GET', '/api/v1/auth/me')).statusCode, 200);
      await testApp.db.kysely
        .updateTable('sessions')
        .set({ last_seen_at: Date.now() - testApp.config.sessionIdleMs - 1000 })
        .where('user_id', '=', fixture.users.rep2.id)
        .execute();
      const idle = await client(testApp, cookieA)('GET', '/api/v1/auth/me');
      assert.equal(idle.statusCode, 401);
      assert.equal(idle.cookies.find((c) => c.name === 'keyline_session')?.value, '', 'cookie cleared');

      const loginB = await login(fixture.users.rep2.email, PASSWORD, '10.3.0.1');
      const cookieB = `keyline_session=${loginB.cookies[0]!.value}`;
      await testApp.db.kysely
        .updateTable('sessions')
        .set({ expires_at: Date.now() - 1 })
        .where('user_id', '=', fixture.users.rep2.id)
        .execute();
      assert.equal((await client(testApp, cookieB)('GET', '/api/v1/auth/me')).statusCode, 401);
      const left = await testApp.db.kysely
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', fixture.users.rep2.id)
        .execute();
      assert.equal(left.length, 0, 'expired sessions are deleted');
    });

    it('signs out: the cookie no longer works', async () => {
      const res = await login(fixture.users.rep.email, PASSWORD, '10.4.0.1');
      const call = client(testApp, `keyline_session=${res.cookies[0]!.value}`);
      assert.equal((await call('POST', '/api/v1/auth/logout')).statusCode, 204);
      assert.equal((await call('GET', '/api/v1/auth/me')).statusCode, 401);
    });

    it('changes the own password: checks the current one, signs out other sessions, keeps this one', async () => {
      const email = fixture.users.executive.email;
      const first = `keyline_session=${(await login(email, PASSWORD, '10.5.0.1')).cookies[0]!.value}`;
      const second = `keyline_session=${(await login(email, PASSWORD, '10.5.0.2')).cookies[0]!.value}`;
      const wrong = await client(testApp, first)('POST', '/api/v1/auth/password', {
        currentPassword: 'nope-nope',
        newPassword: 'brand-new-pass',
      });
      assert.equal(wrong.statusCode, 400);
      assert.equal(json<{ errors: { field: string }[] }>(wrong).errors[0]!.field, 'currentPassword');
      const short = await client(testApp, first)('POST', '/api/v1/auth/password', {
        currentPassword: PASSWORD,
        newPassword: 'short',
      });
      assert.equal(short.statusCode, 400);
      assert.equal(json<{ errors: { field: string }[] }>(short).errors[0]!.field, 'newPassword');
      const ok = await client(testApp, first)('POST', '/api/v1/auth/password', {
        currentPassword: PASSWORD,
        newPassword: 'brand-new-pass',
      });
      assert.equal(ok.statusCode, 204);
      assert.equal((await client(testApp, first)('GET', '/api/v1/auth/me')).statusCode, 200);
      assert.equal((await client(testApp, second)('GET', '/api/v1/auth/me')).statusCode, 401);
      assert.equal((await login(email, PASSWORD, '10.5.0.3')).statusCode, 401);
      assert.equal((await login(email, 'brand-new-pass', '10.5.0.3')).statusCode, 200);
    });

    it('remembers the interface language on the user', async () => {
      const call = client(
        testApp,
        `keyline_session=${(await login(fixture.users.presales.email, PASSWORD, '10.6.0.1')).cookies[0]!.value}`,
      );
      const res = await call('PATCH', '/api/v1/auth/me', { locale: 'en-US' });
      assert.equal(res.statusCode, 200);
      assert.equal(json<{ user: { locale: string } }>(await call('GET', '/api/v1/auth/me')).user.locale, 'en-US');
      const bad = await call('PATCH', '/api/v1/auth/me', { locale: 'fr-FR' });
      assert.equal(bad.statusCode, 400);
      assert.equal(json<{ errors: { field: string }[] }>(bad).errors[0]!.field, 'locale');
    });

    it('refuses cross-site state-changing requests (CSRF) but not same-origin ones or scripts', async () => {
      const cookie = `keyline_session=${(await login(fixture.users.presales.email, PASSWORD, '10.7.0.1')).cookies[0]!.value}`;
      const call = client(testApp, cookie);
      const body = { locale: 'zh-CN' };
      const crossSite = await call('PATCH', '/api/v1/auth/me', body, { 'sec-fetch-site': 'cross-site' });
      assert.equal(crossSite.statusCode, 403);
      assert.equal(json(crossSite).code, 'cross_site_request');
      const foreignOrigin = await call('PATCH', '/api/v1/auth/me', body, {
        origin: 'https://evil.example',
        host: 'keyline.local',
      });
      assert.equal(foreignOrigin.statusCode, 403);
      const sameOrigin = await call('PATCH', '/api/v1/auth/me', body, {
        origin: 'http://keyline.local',
        host: 'keyline.local',
        'sec-fetch-site': 'same-origin',
      });
      assert.equal(sameOrigin.statusCode, 200);
      assert.equal((await call('PATCH', '/api/v1/auth/me', body)).statusCode, 200, 'no browser headers: a script');
      // Reads are not state-changing and stay allowed.
      assert.equal(
        (await call('GET', '/api/v1/auth/me', undefined, { 'sec-fetch-site': 'cross-site' })).statusCode,
        200,
      );
      // Login itself is protected too (login CSRF).
      const loginCross = await testApp.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'sec-fetch-site': 'cross-site' },
        payload: { email: fixture.users.rep.email, password: PASSWORD },
      });
      assert.equal(loginCross.statusCode, 403);
    });
  });
}
