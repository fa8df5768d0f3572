import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { IsoDate } from '../../domain/calendar.ts';
import { headerKey } from '../../domain/import-headers.ts';
import { type ColumnMapping } from '../../domain/import-fields.ts';
import { type ValueMapping } from '../../domain/import-vocabulary.ts';
import {
  nameWords,
  opportunityKey,
  validateOpportunityRow,
  type OpportunityValues,
} from '../../domain/import-opportunities.ts';
import type { DuplicateMode, RowProblem } from '../../domain/import-validate.ts';
import type { OpportunityStatus } from '../../domain/opportunity.ts';
import { opportunityRights, reachesUnit, type Actor } from '../../domain/policy.ts';
import { shippedTranslations } from '../../domain/shipped-texts.ts';
import * as dealRepo from './repository/deals.ts';
import * as records from './repository/records.ts';
import { resolveAccounts } from './resolve-account.ts';
import type { Checked, Raw } from './checked-row.ts';

/**
 * The dry run of opportunities from another system (docs/sales-process.md § Import of
 * opportunities). Each row is checked like the API's create (and close, for a closed deal): an
 * account the importer may edit, an active process and one of its stages (by name in either
 * language, or as the value-mapping step says), an owner in reach whom the importer may give a
 * deal to, and the stage gate: a deal entering past the first stage (or won) cannot prove its
 * evidence in a file, so it is a manager's override (the importer must manage the owner).
 * A deal repeating one of the account's deals (same name) or an earlier row is a duplicate —
 * skipped, or created anyway in "create" mode ("update" skips too: imported deals are not merged).
 */

export interface WorkspaceWords {
  processes: dealRepo.ProcessWithStages[];
  users: Awaited<ReturnType<typeof records.activeUsers>>;
}

export async function workspaceWords(db: Kysely<Database>, workspaceId: number): Promise<WorkspaceWords> {
  const [processes, users] = await Promise.all([
    dealRepo.processesWithStages(db, workspaceId),
    records.activeUsers(db, workspaceId),
  ]);
  return { processes, users };
}

/** What a row resolves to: the deal to write. */
export interface ResolvedDeal {
  values: OpportunityValues;
  status: OpportunityStatus;
  accountId: number;
  process: dealRepo.ProcessWithStages;
  stage: dealRepo.ProcessWithStages['stages'][number];
  owner: { id: number; org_unit_id: number };
}

const translations = shippedTranslations();

/** The process named by a cell (or the only active one when the cell is empty). */
function findProcess(
  words: WorkspaceWords,
  value: string | null,
): { process: dealRepo.ProcessWithStages } | { problem: RowProblem } {
  const active = words.processes.filter((process) => process.active);
  if (value === null) {
    if (active.length === 1) return { process: active[0]! };
    return {
      problem: {
        field: 'process',
        code: 'required',
        message: 'the workspace has several sales processes: name the process',
      },
    };
  }
  const key = headerKey(value);
  const matches = words.processes.filter((process) => nameWords(process.name, translations).includes(key));
  const live = matches.filter((process) => process.active);
  if (live.length === 1) return { process: live[0]! };
  if (live.length > 1)
    return {
      problem: {
        field: 'process',
        code: 'ambiguous',
        message: `${live.length} processes have this name`,
        params: { count: live.length },
      },
    };
  if (matches.length > 0)
    return { problem: { field: 'process', code: 'inactive', message: 'the sales process is no longer in use' } };
  return {
    problem: { field: 'process', code: 'unknown_value', message: `"${value}" is not a known value`, params: { value } },
  };
}

function findStage(
  process: dealRepo.ProcessWithStages,
  value: string | null,
  status: OpportunityStatus | null,
): { stage: dealRepo.ProcessWithStages['stages'][number] } | { problem: RowProblem } {
  const won = process.stages.find((stage) => stage.is_won);
  if (value === null) {
    const stage = status === 'won' ? won : process.stages[0];
    return stage
      ? { stage }
      : { problem: { field: 'stage', code: 'no_won_stage', message: 'the sales process has no won stage' } };
  }
  const key = headerKey(value);
  const stage = process.stages.find((candidate) => nameWords(candidate.name, translations).includes(key));
  if (!stage)
    return {
      problem: {
        field: 'stage',
        code: 'unknown_value',
        message: `"${value}" is not a stage of ${process.name}`,
        params: { value, process: process.name },
      },
    };
  if (stage.is_won && status !== null && status !== 'won')
    return {
      problem: {
        field: 'stage',
        code: 'won_stage_not_won',
        message: `the won stage is for won deals; this row's status is ${status}`,
      },
    };
  if (status === 'won' && !stage.is_won) {
    // Won from that stage: the deal is kept at the process's won stage, as a close does.
    if (!won)
      return { problem: { field: 'stage', code: 'no_won_stage', message: 'the sales process has no won stage' } };
    return { stage: won };
  }
  return { stage };
}

/** The owner by email or name, among active users in the importer's reach; the importer when empty. */
function findOwner(
  actor: Actor,
  words: WorkspaceWords,
  value: string | null,
): { owner: { id: number; org_unit_id: number; path: string } } | { problem: RowProblem } {
  if (value === null) return { owner: { id: actor.userId, org_unit_id: actor.orgUnitId, path: actor.unitPath } };
  const inReach = words.users.filter((user) => reachesUnit(actor, user.path));
  const lower = value.toLowerCase();
  const matches = value.includes('@')
    ? inReach.filter((user) => user.email.toLowerCase() === lower)
    : inReach.filter((user) => user.name.trim().toLowerCase() === lower);
  if (matches.length === 1) return { owner: matches[0]! };
  if (matches.length > 1)
    return {
      problem: {
        field: 'owner',
        code: 'ambiguous',
        message: `${matches.length} users have this name; use their email`,
        params: { count: matches.length },
      },
    };
  return {
    problem: {
      field: 'owner',
      code: 'unknown_user',
      message: `no active user of your organisation is "${value}"`,
      params: { value },
    },
  };
}

/**
 * Every row's deal: the row's own checks, its account (resolveAccounts), then process, stage,
 * owner and the rights the API's create asks. Used by the dry run and again by the commit.
 */
export async function resolveOpportunityRows(
  db: Kysely<Database>,
  actor: Actor,
  rows: Raw[],
  mapping: ColumnMapping,
  ctx: { today: IsoDate; valueMapping: ValueMapping; words: WorkspaceWords },
): Promise<{ r: Raw; deal: ResolvedDeal | null; problems: RowProblem[] }[]> {
  const parsed = rows.map((row) => ({
    r: row,
    ...validateOpportunityRow(JSON.parse(row.data) as string[], mapping, ctx),
  }));
  const resolved = await resolveAccounts(db, actor, parsed, 'you cannot add opportunities to this account');
  return resolved.map(({ r: row, v: values, problems, accountId }) => {
    if (!values || accountId === null) return { r: row, deal: null, problems };
    const found: RowProblem[] = [];
    const processFound = findProcess(ctx.words, values.process);
    const stageFound =
      'process' in processFound ? findStage(processFound.process, values.stage, values.status) : undefined;
    const ownerFound = findOwner(actor, ctx.words, values.owner);
    if ('problem' in processFound) found.push(processFound.problem);
    if (stageFound && 'problem' in stageFound) found.push(stageFound.problem);
    if ('problem' in ownerFound) found.push(ownerFound.problem);
    if (
      found.length ||
      !('process' in processFound) ||
      !stageFound ||
      !('stage' in stageFound) ||
      !('owner' in ownerFound)
    )
      return { r: row, deal: null, problems: found };
    const { process } = processFound;
    const { stage } = stageFound;
    const { owner } = ownerFound;
    const status: OpportunityStatus = values.status ?? (stage.is_won ? 'won' : 'open');
    const rights = opportunityRights(actor, { ownerId: owner.id, unitPath: owner.path, onTeam: false });
    if (!rights.edit)
      return {
        r: row,
        deal: null,
        problems: [
          {
            field: 'owner',
            code: 'lead_only',
            message: 'only a manager over them can create a deal owned by someone else',
          },
        ],
      };
    // The stage gate: past the first stage (won included) without the evidence a file cannot carry.
    // Lost or abandoned at the first stage is a close its owner may make.
    if (stage.id !== process.stages[0]!.id && !rights.manage)
      return {
        r: row,
        deal: null,
        problems: [
          {
            field: values.stage === null ? 'dealStatus' : 'stage',
            code: 'gate_needs_manager',
            message:
              'a deal past the first stage (or won) comes without its stage evidence: only a manager over its owner may import it',
          },
        ],
      };
    return { r: row, deal: { values, status, accountId, process, stage, owner }, problems: [] };
  });
}

export async function checkOpportunities(
  db: Kysely<Database>,
  actor: Actor,
  rows: Raw[],
  mapping: ColumnMapping,
  mode: DuplicateMode,
  seen: Map<string, number>,
  ctx: { today: IsoDate; valueMapping: ValueMapping; words: WorkspaceWords },
): Promise<Checked[]> {
  const resolved = await resolveOpportunityRows(db, actor, rows, mapping, ctx);
  const recorded = new Set(
    (
      await dealRepo.opportunitiesOfAccounts(db, actor.workspaceId, [
        ...new Set(resolved.flatMap((item) => (item.deal ? [item.deal.accountId] : []))),
      ])
    ).map((deal) => opportunityKey(deal.account_id, deal.name)),
  );
  return resolved.map(({ r: row, deal, problems }): Checked => {
    const base = { rowNo: row.row_no, data: row.data, targetId: deal?.accountId ?? null, duplicate: false };
    if (!deal) return { ...base, targetId: null, outcome: 'error', problems };
    const key = opportunityKey(deal.accountId, deal.values.name);
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, row.row_no);
    const repeat =
      earlier !== undefined
        ? {
            field: 'name',
            code: 'duplicate_in_file',
            message: `same opportunity as row ${earlier}`,
            params: { row: earlier },
          }
        : recorded.has(key)
          ? {
              field: 'name',
              code: 'duplicate_existing',
              message: 'the account already has an opportunity of this name',
            }
          : null;
    if (!repeat) return { ...base, outcome: 'create', problems: [] };
    return { ...base, duplicate: true, outcome: mode === 'create' ? 'create' : 'skip', problems: [repeat] };
  });
}

/** Suggestions for a process or stage name the dry run did not find: the workspace name it most resembles. */
export function workspaceChoices(words: WorkspaceWords, field: 'process' | 'stage'): string[] {
  const active = words.processes.filter((process) => process.active);
  const names =
    field === 'process' ? active.map((process) => process.name) : active.flatMap((p) => p.stages.map((s) => s.name));
  return [...new Set(names)];
}
