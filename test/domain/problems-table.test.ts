/**
 * Every problem code and field-error code written in src/ is one of the table
 * (src/contracts/problems.ts). The typechecker already refuses an unknown code where the code is
 * a literal argument; this also catches codes built by hand (casts, helpers taking a string).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FIELD_ERROR_CODES, PROBLEM_CODES, PROBLEM_STATUS } from '../../src/contracts/problems.ts';

const SRC = path.join(import.meta.dirname, '../../src');
const files = (fs.readdirSync(SRC, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map((f) => path.join(SRC, f));
const source = files.map((f) => [path.relative(SRC, f), fs.readFileSync(f, 'utf8')] as const);

function found(pattern: RegExp): [string, string][] {
  return source.flatMap(([file, text]) => [...text.matchAll(pattern)].map((m) => [file, m[1]!] as [string, string]));
}

test('every problem code thrown or answered in src/ is in the table', () => {
  const thrown = [
    ...found(/new AppError\(\s*'([a-z_]+)'/g),
    ...found(/\bconflict\(\s*'([a-z_]+)'/g),
    ...found(/toProblem\(\s*'([a-z_]+)'/g),
    // invalid(field, issue, message, code): the problem code is the last literal argument.
    ...found(/\binvalid\([^;]*?,\s*'([a-z_]+)'\)/g),
  ];
  assert.ok(thrown.length > 80, `found ${thrown.length} codes: the patterns must still match the code`);
  const unknown = thrown.filter(([, code]) => !Object.hasOwn(PROBLEM_STATUS, code));
  assert.deepEqual(unknown, []);
});

test('every field-error code named in src/ is in the table', () => {
  const named = found(/\{ code: '([a-z_]+)'/g);
  assert.ok(named.length > 60, `found ${named.length}`);
  const known = new Set<string>(FIELD_ERROR_CODES);
  // Import row problems (the dry-run report) have codes of their own, not field errors of an answer.
  const rowProblems = new Set(found(/\bcode: '([a-z_]+)', message/g).map(([, c]) => c));
  // An import job's failureInfo (interrupted, expired) is the job's state, said by the import page.
  const jobStates = new Set(found(/failureInfo: \{ code: '([a-z_]+)'/g).map(([, c]) => c));
  const unknown = named.filter(([, code]) => !known.has(code) && !rowProblems.has(code) && !jobStates.has(code));
  assert.deepEqual(unknown, []);
});

test('the table gives each code one status among those the API documents', () => {
  const statuses = new Set(Object.values(PROBLEM_STATUS));
  assert.deepEqual([...statuses].sort(), [400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503]);
  assert.equal(new Set(PROBLEM_CODES).size, PROBLEM_CODES.length);
});
