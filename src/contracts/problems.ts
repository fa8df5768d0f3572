/**
 * Every problem the API answers with, in one table (issue 13): its code, its HTTP status, and
 * the params it carries (members of the problem body beside `code`, for the web app to render
 * a sentence in the user's language). Field errors name the field, a field-error code and its
 * params: `{ field: 'amount', code: 'too_small', params: { min: 0 } }`. The English `message`
 * and `detail` are for integrations and logs; the web app never reads them.
 * A new area adds its codes here (problem and field), and both web dictionaries must then
 * render them (web/src/i18n/problems.*.ts are Records over these codes: a missing sentence fails
 * the typecheck). Pure data: the web app imports it.
 */
import type { ActivityStatus } from '../domain/activities.ts';

export const PROBLEM_STATUS = {
  // 400: the request is malformed or names bad values (see `errors`).
  validation_failed: 400,
  malformed_body: 400,
  bad_request: 400,
  wrong_password: 400,
  reason_required: 400,
  org_cycle: 400,
  reporting_cycle: 400,
  group_cycle: 400,
  invalid_credit_code: 400,
  strategy_incomplete: 400,
  duplicate: 400,
  missing_file: 400,
  unsupported_file: 400,
  too_many_columns: 400,
  too_many_rows: 400,
  unreadable_file: 400,
  no_rows: 400,
  rows_have_errors: 400,
  mapping_incomplete: 400,
  // The caps on an uploaded file (src/modules/imports/limits.ts): each names the cap it crossed.
  cell_too_long: 400,
  import_too_large: 400,
  file_too_complex: 400,
  xlsx_too_many_entries: 400,
  xlsx_part_too_large: 400,
  xlsx_size_mismatch: 400,
  xlsx_too_large: 400,
  xlsx_shared_strings_too_large: 400,
  xlsx_too_many_shared_strings: 400,
  // 401, 403
  unauthenticated: 401,
  forbidden: 403,
  bulk_refused: 403,
  cross_site_request: 403,
  password_change_required: 403,
  export_not_permitted: 403,
  // 404
  not_found: 404,
  no_route: 404,
  // 409: the request is well-formed but conflicts with the state of things.
  version_conflict: 409,
  already_set_up: 409,
  duplicate_email: 409,
  duplicate_name: 409,
  duplicate_credit_code: 409,
  duplicate_role: 409,
  duplicate_member: 409,
  duplicate_territory: 409,
  possible_duplicate: 409,
  territory_conflict: 409,
  last_admin: 409,
  handover_required: 409,
  handover_exists: 409,
  handover_closed: 409,
  handover_incomplete: 409,
  inventory_changed: 409,
  unit_has_children: 409,
  unit_has_members: 409,
  root_unit: 409,
  parent_archived: 409,
  archived: 409,
  already_in_pool: 409,
  already_claimed: 409,
  not_in_pool: 409,
  claim_limit_reached: 409,
  open_opportunities: 409,
  not_key_account: 409,
  closed: 409,
  open: 409,
  no_process: 409,
  no_won_stage: 409,
  won_stage: 409,
  stage_in_use: 409,
  too_few_stages: 409,
  too_many_stages: 409,
  owner_seat: 409,
  import_busy: 409,
  import_without_rows: 409,
  not_validated: 409,
  // Activities (docs/rhythm.md): a review needs a plan, and a reviewed plan is kept as it was.
  no_plan: 409,
  already_reviewed: 409,
  // The follow-up rhythm (docs/rhythm.md).
  checkpoint_recorded: 409,
  callback_answered: 409,
  // Other statuses.
  file_too_large: 413,
  payload_too_large: 413,
  unsupported_media_type: 415,
  evidence_missing: 422,
  rate_limited: 429,
  internal: 500,
  no_access_declaration: 500,
  busy: 503,
  unavailable: 503,
  shutting_down: 503,
} as const satisfies Record<string, 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503>;

export type ProblemCode = keyof typeof PROBLEM_STATUS;
export const PROBLEM_CODES = Object.keys(PROBLEM_STATUS) as ProblemCode[];

type Of<Codes extends string, T extends Partial<Record<Codes, object>>> = T;
/** The params of a code that carries none. */
export type NoParams = Record<never, never>;

/** The params a problem carries; a code not listed carries none. */
export type ProblemParamsTable = Of<
  ProblemCode,
  {
    version_conflict: { currentVersion?: number };
    rate_limited: { retryAfterSeconds: number };
    claim_limit_reached: { limit: number; held: number };
    open_opportunities: { count: number };
    bulk_refused: { refused: { id: number; reason: string }[] };
    territory_conflict: { ruleIds: number[]; userIds: number[] };
    possible_duplicate: { matches: unknown[] };
    handover_required: { accounts: number; opportunities: number; territories: number; handoverId: number | null };
    handover_exists: { handoverId: number };
    handover_incomplete: { missing: unknown[] };
    evidence_missing: { missing: unknown[] };
    stage_in_use: { opportunities: { total: number; byStatus: Record<string, number>; items: unknown[] } };
    too_many_columns: ImportLimitParams;
    too_many_rows: ImportLimitParams;
    cell_too_long: ImportLimitParams;
    import_too_large: ImportLimitParams;
    file_too_complex: ImportLimitParams;
    xlsx_too_many_entries: ImportLimitParams;
    xlsx_part_too_large: ImportLimitParams;
    xlsx_size_mismatch: ImportLimitParams;
    xlsx_too_large: ImportLimitParams;
    xlsx_shared_strings_too_large: ImportLimitParams;
    xlsx_too_many_shared_strings: ImportLimitParams;
  }
>;
/** An upload refused by a cap: which cap and its value, and where in the file when known. */
export type ImportLimitParams = { limit: { name: string; max: number }; row?: number; part?: string };
export type ProblemParams<C extends ProblemCode> = C extends keyof ProblemParamsTable
  ? ProblemParamsTable[C]
  : NoParams;

/**
 * The codes of field errors and their params. Validation issues of the schemas (zod) map onto
 * the first group (src/server/errors.ts); services name the rest.
 */
export type FieldErrorParamsTable = {
  // From the schemas.
  required: NoParams;
  invalid_type: { expected: string };
  invalid_value: { values: string[] };
  too_small: { min: number; origin: string; inclusive?: boolean };
  too_big: { max: number; origin: string };
  invalid_format: { format: string };
  not_multiple_of: { divisor: number };
  unknown_field: NoParams;
  malformed_json: NoParams;
  invalid: NoParams;
  // Records named by id.
  not_found: { id: number };
  not_in_reach: { id: number };
  archived: NoParams;
  inactive: NoParams;
  /** The field takes part in the problem the code of the whole answer names (a duplicate, a stale version…). */
  conflict: NoParams;
  stale_version: { currentVersion: number };
  // Values in relation to others.
  between: { min: number; max: number };
  not_before: { other: string };
  must_differ: NoParams;
  wrong_password: NoParams;
  unique: NoParams;
  duplicate: { index: number };
  not_of_account: NoParams;
  not_of_process: NoParams;
  cycle: NoParams;
  top_unit: NoParams;
  self: NoParams;
  // Rules of the areas.
  unknown_province: { value: string };
  needs_city: NoParams;
  cannot_take_over: { role: string; category: string };
  accounts_only: NoParams;
  owner_role: NoParams;
  owner_required: NoParams;
  cannot_start_won: NoParams;
  lead_is_owner: NoParams;
  lead_only: NoParams;
  won_stage_fixed: NoParams;
  won_stage_last: { name: string };
  stages_mismatch: { count: number };
  probability_order: { stage: string; probability: number; previous: string; previousProbability: number };
  evidence_not_due: { stageId: number };
  unknown_evidence: { key: string; stage: string };
  note_required: NoParams;
  attachment_required: NoParams;
  attachment_elsewhere: NoParams;
  attachment_not_visible: NoParams;
  no_successor: NoParams;
  no_note: NoParams;
  invalid_credit_code: { reason: 'length' | 'characters' | 'check_character' };
  strategy_incomplete: NoParams;
  claim_limit: { limit: number };
  territory_conflict: NoParams;
  similar_exists: NoParams;
  /** Quarter ratios or category shares (docs/targets.md § Quotas): they add up to `total`, not 100. */
  must_total_100: { total: number };
  /** A quota category that is no business line of the workspace (nor small / large). */
  unknown_line: { key: string };
  /** A quota split partly by project size and partly by business line. */
  mixed_split: NoParams;
  // Files and imports.
  missing_file: NoParams;
  unsupported_file: NoParams;
  file_too_large: { maxMb: number };
  too_many_columns: { max: number };
  too_many_rows: { max: number };
  unreadable_file: NoParams;
  no_rows: NoParams;
  rows_have_errors: { count: number };
  not_a_field: NoParams;
  column_range: { max: number };
  column_taken: { column: string; field: string };
  name_or_credit_code: NoParams;
  /** An upload over one of the import caps; the problem's code and params say which. */
  over_limit: { max: number };
  /** Text holding U+0000, which PostgreSQL cannot store (refused on both engines alike). */
  nul_character: NoParams;
  /** A forecast for a period that is already over (docs/targets.md § Revenue forecast). */
  period_over: NoParams;
  // Activities (docs/rhythm.md).
  in_future: NoParams;
  /** An activity's status that cannot follow the current one; the web says both in words. */
  invalid_transition: { from: ActivityStatus; to: ActivityStatus };
  visit_only: NoParams;
  objectives_mismatch: { count: number };
  // The follow-up rhythm (docs/rhythm.md).
  checkpoint_not_due: { date: string };
  solution_required: NoParams;
  /** A callback sample of a month that is not over yet (docs/rhythm.md § Callback audit). */
  period_not_over: NoParams;
  mapping_incomplete: NoParams;
};
export type FieldErrorCode = keyof FieldErrorParamsTable;

/** Every field-error code, listed once at run time (the i18n test renders each). */
export const FIELD_ERROR_CODES = [
  'required',
  'invalid_type',
  'invalid_value',
  'too_small',
  'too_big',
  'invalid_format',
  'not_multiple_of',
  'unknown_field',
  'malformed_json',
  'invalid',
  'not_found',
  'not_in_reach',
  'archived',
  'inactive',
  'conflict',
  'stale_version',
  'between',
  'not_before',
  'must_differ',
  'wrong_password',
  'unique',
  'duplicate',
  'not_of_account',
  'not_of_process',
  'cycle',
  'top_unit',
  'self',
  'unknown_province',
  'needs_city',
  'cannot_take_over',
  'accounts_only',
  'owner_role',
  'owner_required',
  'cannot_start_won',
  'lead_is_owner',
  'lead_only',
  'won_stage_fixed',
  'won_stage_last',
  'stages_mismatch',
  'probability_order',
  'evidence_not_due',
  'unknown_evidence',
  'note_required',
  'attachment_required',
  'attachment_elsewhere',
  'attachment_not_visible',
  'no_successor',
  'no_note',
  'invalid_credit_code',
  'strategy_incomplete',
  'claim_limit',
  'territory_conflict',
  'similar_exists',
  'missing_file',
  'unsupported_file',
  'file_too_large',
  'too_many_columns',
  'too_many_rows',
  'unreadable_file',
  'no_rows',
  'rows_have_errors',
  'not_a_field',
  'column_range',
  'column_taken',
  'name_or_credit_code',
  'over_limit',
  'nul_character',
  'must_total_100',
  'unknown_line',
  'mixed_split',
  'period_over',
  'in_future',
  'invalid_transition',
  'visit_only',
  'objectives_mismatch',
  'checkpoint_not_due',
  'solution_required',
  'period_not_over',
  'mapping_incomplete',
] as const satisfies readonly FieldErrorCode[];
// Both ways: a code in the table but not in the list fails here.
type Missing = Exclude<FieldErrorCode, (typeof FIELD_ERROR_CODES)[number]>;
export const fieldErrorCodesComplete: [Missing] extends [never] ? true : Missing = true;

/** A field error as the API sends it; params are there when the code has any. */
export type FieldError = {
  [C in FieldErrorCode]: { field: string; code: C; message: string } & ([keyof FieldErrorParamsTable[C]] extends [never]
    ? { params?: undefined }
    : { params: FieldErrorParamsTable[C] });
}[FieldErrorCode];

/** What a service names for one field: the code and its params, without the path. */
export type FieldIssue = {
  [C in FieldErrorCode]: [keyof FieldErrorParamsTable[C]] extends [never]
    ? { code: C }
    : { code: C; params: FieldErrorParamsTable[C] };
}[FieldErrorCode];
