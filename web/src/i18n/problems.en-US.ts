import type { ActivityStatus } from '../../../src/domain/activities.ts';
import type { ProblemMessages } from './problem-messages.ts';

const unit = (origin: string, count: number) =>
  origin === 'string'
    ? ` character${count === 1 ? '' : 's'}`
    : origin === 'array' || origin === 'set'
      ? ` item${count === 1 ? '' : 's'}`
      : origin === 'file'
        ? ' MB'
        : '';
const creditCodeReason = {
  length: 'it must have 18 characters',
  characters: 'it contains a character a credit code never has',
  check_character: 'the check character does not match (a typo?)',
} as const;

// An activity's status in the words of its sentence ("a done activity cannot become planned").
const statusWord: Record<ActivityStatus, string> = { planned: 'planned', done: 'done', cancelled: 'cancelled' };

export const problemsEnUS: ProblemMessages = {
  problems: {
    validation_failed: () => 'Some of the input is not valid; see the fields marked.',
    malformed_body: () => 'The request could not be read.',
    bad_request: () => 'The request is not valid.',
    wrong_password: () => 'The current password is incorrect.',
    reason_required: () => 'Give a reason.',
    org_cycle: () => 'A unit cannot be moved under itself or one of its own sub-units.',
    group_cycle: () => 'Not possible: the parent cannot be the account itself or one of its subsidiaries.',
    reporting_cycle: () => 'Not possible: the reporting lines would go round in a circle.',
    invalid_credit_code: () =>
      'The unified social credit code is not valid: check it for a typo (the check character does not match).',
    strategy_incomplete: () => 'Answer every question to reach a win strategy.',
    duplicate: () => 'An entry is listed twice.',
    missing_file: () => 'Choose a file to upload.',
    unsupported_file: () => 'This file type is not supported; upload a CSV or .xlsx file.',
    too_many_columns: () => 'The file has too many columns.',
    too_many_rows: () => 'The file has too many rows; split it into several files.',
    unreadable_file: () => 'The file could not be read; check that it is an intact CSV or .xlsx file.',
    no_rows: () => 'The file has no data rows.',
    rows_have_errors: () =>
      'Some rows have errors: correct the file, or choose to skip them and import the valid rows.',
    mapping_incomplete: () => 'The column mapping is incomplete; see the fields marked.',
    cell_too_long: (p) => `A cell${p.row ? ` in row ${p.row}` : ''} is longer than ${p.limit.max} characters.`,
    import_too_large: (params) =>
      `The file holds more data than one import may store${params.row ? ` (by row ${params.row})` : ''}; split it into several files.`,
    file_too_complex: () => 'The file needs more memory to read than an import may use; save it as CSV or split it.',
    xlsx_too_many_entries: () => 'This is not a workbook Keyline can read: its archive has too many parts.',
    xlsx_part_too_large: () => 'A part of the workbook is too large once unpacked; save the sheet as CSV or split it.',
    xlsx_size_mismatch: () => 'The workbook is damaged: a part does not unpack to the size it declares.',
    xlsx_too_large: () => 'The workbook is too large once unpacked; save the sheet as CSV or split it.',
    xlsx_shared_strings_too_large: () => 'The workbook holds too much text; save the sheet as CSV or split it.',
    xlsx_too_many_shared_strings: () =>
      'The workbook holds too many distinct texts; save the sheet as CSV or split it.',
    unauthenticated: () => 'Sign in to continue.',
    forbidden: () => 'You do not have permission for this action.',
    cross_site_request: () => 'A request from another site was refused for your safety.',
    password_change_required: () => 'Replace the password your administrator set with your own first.',
    export_not_permitted: () => 'Exporting is not enabled for your account; ask an administrator.',
    not_found: () => 'The record does not exist; it may have been removed.',
    no_route: () => 'This is not available yet.',
    version_conflict: () =>
      'Someone else changed this record. The latest data has been reloaded; check it and try again.',
    already_set_up: () => 'This installation already has a workspace. Please sign in.',
    duplicate_email: () => 'Another user already has this email.',
    duplicate_name: () => 'This name is already in use; choose another.',
    duplicate_credit_code: () => 'This unified social credit code already belongs to another account.',
    duplicate_role: () => 'This contact already holds this role here.',
    duplicate_member: () => 'This person is already on the team.',
    duplicate_territory: () => 'A territory rule for the same place and industry already exists.',
    possible_duplicate: () => 'Accounts with similar names exist; make sure this is not a duplicate.',
    territory_conflict: () => 'Territory rules assign this account to different people; choose the owner yourself.',
    last_admin: () => 'The workspace must keep at least one active administrator.',
    handover_required: () =>
      'This user still owns accounts, opportunities or territory rules. Deactivate them through a handover.',
    handover_exists: () => 'A handover of this user is already in progress.',
    handover_closed: () => 'This handover is completed or cancelled and can no longer change.',
    handover_incomplete: () =>
      'The handover is not complete: some items have no successor, or key accounts lack a handover note.',
    inventory_changed: () => 'The handover inventory has changed; reload it and confirm again.',
    unit_has_children: () => 'This unit still has active sub-units. Archive or move them first.',
    unit_has_members: () => 'This unit still has active users. Move them to another unit or deactivate them first.',
    root_unit: () => 'The top unit of the organisation cannot be archived or moved.',
    parent_archived: () => 'The parent unit is archived. Restore it first.',
    archived: () => 'This record is archived.',
    already_in_pool: () => 'This account is already in the pool.',
    already_claimed: () => 'Someone else has just taken this account.',
    not_in_pool: () => 'This account is no longer in the pool.',
    bulk_refused: (params) =>
      `Nothing was changed: you may not change ${params.refused.length} of the selected rows (#${params.refused.map((row) => row.id).join(', #')}).`,
    open_opportunities: (params) =>
      `This account has ${params.count} open ${params.count === 1 ? 'opportunity' : 'opportunities'}: close or hand them over before it goes to the pool.`,
    claim_limit_reached: (p) => `The limit of private accounts is reached (${p.held} held, limit ${p.limit}).`,
    not_key_account: () => 'Only A-tier and named accounts get a key-account profile.',
    closed: () => 'The opportunity is closed and can no longer change.',
    open: () => 'The opportunity is still open.',
    no_process: () => 'The opportunity has no sales process yet; choose one first.',
    no_won_stage: () => 'This sales process has no won stage.',
    won_stage: () => 'The won stage cannot be changed this way.',
    stage_in_use: (p) => `Opportunities in this stage: ${p.opportunities.total}. Move them to another stage first.`,
    too_few_stages: () => 'The sales process has too few stages.',
    too_many_stages: () => 'The sales process has too many stages.',
    owner_seat: () => "The owner's sales-lead seat cannot be removed; change the owner instead.",
    import_busy: () => 'The import is in progress; try again in a moment.',
    import_without_rows: () => 'This import holds no rows any more; upload the file again.',
    not_validated: () => 'Validate the file before importing it.',
    no_plan: () => 'Only a planned visit can be reviewed against its plan.',
    already_reviewed: () => 'The visit has been reviewed; its plan stays as it was measured.',
    checkpoint_recorded: () => 'This checkpoint has already been recorded; the list is refreshed.',
    callback_answered: () => 'This callback has already been answered; the list is refreshed.',
    file_too_large: () => 'The file is too large.',
    payload_too_large: () => 'What was sent is too large.',
    unsupported_media_type: () => 'This content type is not supported.',
    evidence_missing: () => 'Evidence needed for this move is missing.',
    rate_limited: (part) =>
      part.retryAfterSeconds > 0
        ? `Too many attempts. Please try again in ${Math.ceil(part.retryAfterSeconds / 60)} minutes.`
        : 'Too many attempts. Please wait a moment and try again.',
    internal: () => 'Something went wrong. Please try again later.',
    no_access_declaration: () => 'Something went wrong. Please try again later.',
    busy: () => 'The system is busy with a large change; try again in a moment.',
    unavailable: () => 'The database cannot be reached right now; try again in a moment.',
    shutting_down: () => 'This server is restarting; try again in a moment.',
  },
  fields: {
    required: () => 'Required',
    invalid_type: (p) => `Must be a ${p.expected}`,
    invalid_value: (p) => (p.values.length ? `Must be one of: ${p.values.join(', ')}` : 'Not a valid value'),
    too_small: (part) =>
      part.inclusive === false
        ? `Must be more than ${part.min}`
        : part.origin === 'string'
          ? `At least ${part.min}${unit(part.origin, part.min)}`
          : `Must be at least ${part.min}${unit(part.origin, part.min)}`,
    too_big: (part) =>
      part.origin === 'string'
        ? `At most ${part.max}${unit(part.origin, part.max)}`
        : `Must be at most ${part.max}${unit(part.origin, part.max)}`,
    invalid_format: (part) =>
      part.format === 'email'
        ? 'Enter a valid email address'
        : part.format === 'date'
          ? 'Enter a valid date'
          : 'Not in the expected format',
    not_multiple_of: (p) => `Must be a multiple of ${p.divisor}`,
    unknown_field: () => 'Not a known field',
    malformed_json: () => 'Could not be read',
    invalid: () => 'Not a valid value',
    not_found: () => 'The chosen record does not exist',
    not_in_reach: () => 'The chosen person is not in your organisation',
    archived: () => 'Archived',
    inactive: () => 'Deactivated',
    conflict: () => 'Conflicts with existing data',
    stale_version: () => 'Changed by someone else; reload',
    between: (p) => `Must lie between ${p.min} and ${p.max}`,
    not_before: () => 'Must not be before the start date',
    must_differ: () => 'The new password must differ from the current one',
    wrong_password: () => 'The current password is incorrect',
    unique: () => 'Must not repeat',
    duplicate: (p) => `Repeats entry ${p.index + 1}`,
    not_of_account: () => 'Must belong to the same account',
    not_of_process: () => 'Must be a stage of this sales process',
    cycle: () => 'Would make a circle',
    top_unit: () => 'The top unit cannot be moved',
    self: () => 'Cannot be the departing user',
    unknown_province: (p) => `"${p.value}" is not a province-level division of China; write it as Shanghai or 上海`,
    needs_city: () => 'A district needs its city',
    cannot_take_over: () => 'This role cannot take over such an item',
    accounts_only: () => 'Handover notes are written for accounts',
    owner_role: () => 'Only reps and managers own accounts',
    owner_required: () => 'An account needs an owner; release it to the pool instead',
    cannot_start_won: () => 'A new opportunity cannot start as won',
    lead_is_owner: () => 'The owner is the sales lead; change the owner to hand the lead over',
    lead_only: () => 'Only the owner or a manager over it changes this',
    won_stage_fixed: () => 'The won stage is always 100%',
    won_stage_last: (p) => `The won stage "${p.name}" must stay last`,
    stages_mismatch: (p) => `Must list each of the process's stages exactly once (count: ${p.count})`,
    probability_order: (part) =>
      `Win probabilities must not decrease: "${part.stage}" (${part.probability}%) would follow "${part.previous}" (${part.previousProbability}%)`,
    evidence_not_due: () => 'Give only the evidence of the stages left or skipped',
    unknown_evidence: (p) => `"${p.key}" is not an evidence item of "${p.stage}"`,
    note_required: () => 'This item needs a note',
    attachment_required: () => 'This item needs a file',
    attachment_elsewhere: () => 'The file is evidence for another opportunity',
    attachment_not_visible: () => 'The file was uploaded by someone who cannot see this opportunity',
    no_successor: () => 'Choose a successor',
    no_note: () => 'Write the handover note',
    invalid_credit_code: (p) => `Not a valid credit code: ${creditCodeReason[p.reason]}`,
    strategy_incomplete: () => 'Answer this question',
    claim_limit: (p) => `The limit of private accounts is reached (limit ${p.limit})`,
    territory_conflict: () => 'Territory rules conflict; choose an owner',
    similar_exists: () => 'Accounts with similar names exist',
    missing_file: () => 'Choose a file',
    unsupported_file: () => 'Upload a CSV or .xlsx file',
    file_too_large: (p) => `The file must be at most ${p.maxMb} MB`,
    too_many_columns: (p) => `At most ${p.max} columns are supported`,
    too_many_rows: (p) => `At most ${p.max} rows are supported; split the file`,
    unreadable_file: () => 'The file could not be read',
    no_rows: () => 'The file has no data rows',
    rows_have_errors: (p) => `Rows with errors: ${p.count}`,
    not_a_field: () => 'Not a field that can be imported',
    must_total_100: (p) => `Must add up to 100% (now ${p.total}%)`,
    unknown_line: (p) => `"${p.key}" is no business line of this workspace (Settings → Rules)`,
    mixed_split: () => 'Split by project size or by business line, not both',
    column_range: (p) => `Must be a column from 0 to ${p.max}`,
    column_taken: (p) => `Column "${p.column}" is already mapped to ${p.field}`,
    name_or_credit_code: () => 'Map the account name or the credit code column',
    over_limit: (p) => `Over the limit of ${p.max}`,
    nul_character: () => 'Contains a character that cannot be stored (U+0000)',
    period_over: () => 'That period is over; a forecast is for a period still running or to come',
    in_future: () => 'A logged activity cannot be in the future — plan it instead',
    invalid_transition: (p) => `A ${statusWord[p.from]} activity cannot become ${statusWord[p.to]}`,
    visit_only: () => 'Only a visit has a visit plan',
    objectives_mismatch: (p) => `Give a result for each of the plan's ${p.count} objectives`,
    checkpoint_not_due: (p) => `This checkpoint is not due until ${p.date}`,
    solution_required: () => 'A problem needs a proposed solution',
    period_not_over: () => 'Choose a month that is over: its visits are all logged',
    mapping_incomplete: () => 'Needs a column of emails or unit names and one of annual quotas',
  },
};
