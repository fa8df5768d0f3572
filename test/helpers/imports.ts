import assert from 'node:assert/strict';
import { json, type Call, type TestApp } from './app.ts';
import type { ImportJob as Job } from '../../src/contracts/imports.ts';

/** Uploads a file as the raw body, the way the web app does. */
export const uploadImport = (call: Call, kind: string, body: Buffer | string, fileName = 'file.csv', extra = '') =>
  call(
    'POST',
    `/api/v1/imports?kind=${kind}&fileName=${encodeURIComponent(fileName)}${extra}`,
    typeof body === 'string' ? Buffer.from(body) : body,
    { 'content-type': 'application/octet-stream' },
  );

/**
 * The job once its running phase (dry run or commit) has finished — and, unless `searchable` is
 * false, once the indexing job the commit kicked has indexed its records (docs/search.md).
 */
export async function settleImport(call: Call, id: number, searchable = true): Promise<Job> {
  for (let i = 0; i < 400; i++) {
    const job = json<Job>(await call('GET', `/api/v1/imports/${id}`));
    const indexing = searchable && job.status === 'committed' && job.searchPending > 0;
    if (job.status !== 'validating' && job.status !== 'committing' && !indexing) return job;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`import ${id} did not finish`);
}

/** Starts the dry run with this mapping (and body extras) and waits for it. */
export async function validateImport(call: Call, id: number, body: Record<string, unknown>): Promise<Job> {
  const res = await call('POST', `/api/v1/imports/${id}/validate`, body);
  assert.equal(res.statusCode, 202, res.body);
  return settleImport(call, id);
}

export async function commitImport(call: Call, id: number, skipErrors = false, searchable = true): Promise<Job> {
  const res = await call('POST', `/api/v1/imports/${id}/commit`, { skipErrors });
  assert.equal(res.statusCode, 202, res.body);
  return settleImport(call, id, searchable);
}

/** Starts the dry run with a mapping and a duplicate mode, as the import page sends them, and waits for it. */
export const validateMapping = (
  call: Call,
  id: number,
  mapping: Record<string, number | null>,
  duplicateMode = 'skip',
) => validateImport(call, id, { mapping, duplicateMode });

/** The workspace's account of that name, as stored. */
export const accountNamedIn = (testApp: TestApp, workspaceId: number, name: string) =>
  testApp.db.kysely
    .selectFrom('accounts')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .executeTakeFirst();
