import { client, createTestApp, json, seedWorkspace, sessionCookie, type Call } from './app.ts';
import type { Engine } from '../../src/db/dialect.ts';
import type { Page as PageOf } from '../../src/contracts/common.ts';
import type { User } from '../../src/contracts/users.ts';

export type Page = PageOf<User>;

/**
 * The world of the user administration suites (test/api/users-editing, users-deactivation,
 * users-passwords, users-listing): a workspace with one user of every role, its admin's client,
 * and the body of a new rep in 销售二部 with a fresh email. Each suite makes its own.
 */
export async function usersWorld(engine: Engine) {
  const testApp = await createTestApp(engine);
  const fixture = await seedWorkspace(testApp, 'users');
  const admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
  const newUser = (over: Record<string, unknown> = {}) => ({
    email: `Li.Lei.${Math.random().toString(36).slice(2, 8)}@Example.com`,
    name: '李雷',
    role: 'rep',
    orgUnitId: fixture.units.sales2,
    password: 'initial-pass-1',
    ...over,
  });
  return { testApp, fixture, admin, newUser };
}

export type UsersWorld = Awaited<ReturnType<typeof usersWorld>>;

/** A user as the caller reads it (a suite passes its admin of the moment: a reset of their own password ends its session). */
export const readUser = async (call: Call, id: number) => json<User>(await call('GET', `/api/v1/users/${id}`));
