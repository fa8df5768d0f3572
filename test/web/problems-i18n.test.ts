/**
 * Every problem code and every field-error code of the table (src/contracts/problems.ts) is said
 * in both languages, from its params — never the server's English (issue 13, issue 11).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FIELD_ERROR_CODES,
  PROBLEM_CODES,
  type FieldErrorCode,
  type FieldErrorParamsTable,
  type ProblemCode,
  type ProblemParams,
} from '../../src/contracts/problems.ts';
import { fieldErrorText, problemText } from '../../web/src/i18n/problem-messages.ts';
import { LOCALES } from '../../src/domain/roles.ts';

// One sample of params per code: typed from the table, so a new code needs a sample here too.
const PROBLEM_SAMPLES: { [C in ProblemCode]: ProblemParams<C> } = Object.fromEntries(
  PROBLEM_CODES.map((c) => [c, {}]),
) as never;
Object.assign(PROBLEM_SAMPLES, {
  version_conflict: { currentVersion: 4 },
  rate_limited: { retryAfterSeconds: 900 },
  claim_limit_reached: { limit: 50, held: 50 },
  open_opportunities: { count: 2 },
  bulk_refused: { refused: [{ id: 7, reason: 'forbidden' }] },
  territory_conflict: { ruleIds: [1, 2], userIds: [3, 4] },
  possible_duplicate: { matches: [] },
  handover_required: { accounts: 2, opportunities: 1, territories: 0, handoverId: null },
  handover_exists: { handoverId: 7 },
  handover_incomplete: { missing: [] },
  evidence_missing: { missing: [] },
  stage_in_use: { opportunities: { total: 3, byStatus: { open: 3 }, items: [] } },
  too_many_columns: { limit: { name: 'cap', max: 200 }, row: 7 },
  too_many_rows: { limit: { name: 'cap', max: 200 } },
  cell_too_long: { limit: { name: 'cap', max: 200 }, row: 7 },
  import_too_large: { limit: { name: 'cap', max: 200 }, row: 7 },
  file_too_complex: { limit: { name: 'cap', max: 200 } },
  xlsx_too_many_entries: { limit: { name: 'cap', max: 200 } },
  xlsx_part_too_large: { limit: { name: 'cap', max: 200 } },
  xlsx_size_mismatch: { limit: { name: 'cap', max: 200 } },
  xlsx_too_large: { limit: { name: 'cap', max: 200 } },
  xlsx_shared_strings_too_large: { limit: { name: 'cap', max: 200 } },
  xlsx_too_many_shared_strings: { limit: { name: 'cap', max: 200 } },
} satisfies { [C in keyof typeof PROBLEM_SAMPLES]?: ProblemParams<C> });

const FIELD_SAMPLES: { [C in FieldErrorCode]: FieldErrorParamsTable[C] } = {
  required: {},
  invalid_type: { expected: 'number' },
  invalid_value: { values: ['csv', 'xlsx'] },
  too_small: { min: 8, origin: 'string' },
  too_big: { max: 100, origin: 'string' },
  invalid_format: { format: 'email' },
  not_multiple_of: { divisor: 5 },
  unknown_field: {},
  malformed_json: {},
  invalid: {},
  not_found: { id: 12 },
  not_in_reach: { id: 12 },
  archived: {},
  inactive: {},
  conflict: {},
  stale_version: { currentVersion: 3 },
  between: { min: 0, max: 35 },
  not_before: { other: 'closeFrom' },
  must_differ: {},
  wrong_password: {},
  unique: {},
  duplicate: { index: 0 },
  not_of_account: {},
  not_of_process: {},
  cycle: {},
  top_unit: {},
  self: {},
  unknown_province: { value: '东京' },
  needs_city: {},
  cannot_take_over: { role: 'auditor', category: 'account' },
  accounts_only: {},
  owner_role: {},
  owner_required: {},
  cannot_start_won: {},
  lead_is_owner: {},
  lead_only: {},
  won_stage_fixed: {},
  won_stage_last: { name: '成交' },
  stages_mismatch: { count: 4 },
  in_future: {},
  invalid_transition: { from: 'done', to: 'planned' },
  visit_only: {},
  objectives_mismatch: { count: 3 },
  probability_order: { stage: '方案', probability: 35, previous: '谈判', previousProbability: 70 },
  evidence_not_due: { stageId: 3 },
  unknown_evidence: { key: 'budget', stage: '方案' },
  note_required: {},
  attachment_required: {},
  attachment_elsewhere: {},
  attachment_not_visible: {},
  no_successor: {},
  no_note: {},
  invalid_credit_code: { reason: 'check_character' },
  strategy_incomplete: {},
  claim_limit: { limit: 50 },
  territory_conflict: {},
  similar_exists: {},
  missing_file: {},
  unsupported_file: {},
  file_too_large: { maxMb: 10 },
  too_many_columns: { max: 200 },
  too_many_rows: { max: 100000 },
  unreadable_file: {},
  no_rows: {},
  rows_have_errors: { count: 3 },
  not_a_field: {},
  column_range: { max: 5 },
  column_taken: { column: '公司名称', field: 'name' },
  name_or_credit_code: {},
  over_limit: { max: 200 },
  nul_character: {},
  must_total_100: { total: 90 },
  unknown_line: { key: 'hardware' },
  mixed_split: {},
  period_over: {},
  checkpoint_not_due: { date: '2026-12-20' },
  solution_required: {},
  period_not_over: {},
  mapping_incomplete: {},
};

const CJK = /[\u4e00-\u9fff]/;
/** Words of the sample params that are Chinese themselves, and so may appear in an English sentence. */
const SAMPLE_WORDS = /东京|成交|方案|谈判|公司名称|上海/g;

function checkSentence(locale: string, what: string, text: string | null) {
  assert.ok(text && text.trim().length > 1, `${locale} ${what}: empty`);
  assert.ok(!/undefined|NaN|\[object/.test(text), `${locale} ${what}: ${text}`);
  if (locale === 'zh-CN') assert.match(text, CJK, `${locale} ${what} is not Chinese: ${text}`);
  else assert.doesNotMatch(text.replace(SAMPLE_WORDS, ''), CJK, `${locale} ${what} is not English: ${text}`);
}

test('every problem code is said in both languages', () => {
  assert.ok(PROBLEM_CODES.length > 60);
  for (const locale of LOCALES) {
    for (const code of PROBLEM_CODES)
      checkSentence(locale, code, problemText(locale, code, PROBLEM_SAMPLES[code] as Record<string, unknown>));
  }
});

test('every field-error code is said in both languages, from its params', () => {
  for (const locale of LOCALES) {
    for (const code of FIELD_ERROR_CODES)
      checkSentence(locale, code, fieldErrorText(locale, { code, params: FIELD_SAMPLES[code] }));
  }
});

test("the stage-probability problem reads in the user's language with its bounds (issue 11)", () => {
  const fieldError = { code: 'between', params: { min: 0, max: 35 } } as const;
  assert.equal(fieldErrorText('zh-CN', fieldError), '应介于 0–35 之间');
  assert.equal(fieldErrorText('en-US', fieldError), 'Must lie between 0 and 35');
  assert.equal(
    fieldErrorText('zh-CN', { code: 'too_small', params: { min: 0, origin: 'number', inclusive: false } }),
    '必须是正数',
  );
  assert.equal(
    problemText('en-US', 'rate_limited', { retryAfterSeconds: 900 }),
    'Too many attempts. Please try again in 15 minutes.',
  );
});

test('the Chinese field errors read as a person would write them, not as a machine (issue 11)', () => {
  const zh = (code: string, params: Record<string, unknown>) => fieldErrorText('zh-CN', { code, params } as never);
  assert.equal(zh('too_small', { min: 0, origin: 'number' }), '不能是负数');
  assert.equal(zh('too_small', { min: 1, origin: 'array' }), '至少选择 1 项', 'not 不能小于 1项');
  assert.equal(zh('too_big', { max: 500, origin: 'array' }), '最多 500 项', 'not 不能大于 500项');
  assert.equal(zh('too_big', { max: 10, origin: 'file' }), '不能超过 10 MB');
  assert.equal(zh('too_big', { max: 15, origin: 'number' }), '不能大于 15');
  assert.equal(zh('over_limit', { max: 5000 }), '超出上限：一次最多 5000 条');
  // The allowed values are codes: listing them would put English on a Chinese screen.
  const choice = zh('invalid_value', { values: ['manufacturing', 'automotive'] });
  assert.doesNotMatch(choice ?? '', /[a-z]/);
  assert.doesNotMatch(problemText('zh-CN', 'bulk_refused', { refused: [{ id: 7, reason: 'forbidden' }] }) ?? '', /#7/);
});

test('a code the table does not know is not guessed at', () => {
  assert.equal(problemText('zh-CN', 'no_such_code', {}), null);
  assert.equal(fieldErrorText('en-US', { code: 'no_such_code' as never }), null);
});

test('a refused status change names both statuses in words, not codes (issue 10)', () => {
  const fieldError = { code: 'invalid_transition', params: { from: 'done', to: 'planned' } } as const;
  assert.equal(fieldErrorText('zh-CN', fieldError), '活动不能从「已完成」改为「计划」');
  assert.equal(fieldErrorText('en-US', fieldError), 'A done activity cannot become planned');
  const cancelled = fieldErrorText('zh-CN', { code: 'invalid_transition', params: { from: 'cancelled', to: 'done' } });
  assert.doesNotMatch(cancelled ?? '', /cancelled|done/);
});
