import type { Db } from '../../db/database.ts';
import { thresholdProblems } from '../../domain/abc-tier.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { TIERS } from '../../domain/accounts.ts';
import { businessLineProblems } from '../../domain/business-lines.ts';
import { workspaceSettings, type WorkspaceSettings } from '../../domain/settings.ts';
import { AppError, forbidden, type FieldError, fieldError, staleVersion } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import * as repo from './repository.ts';
import { rebuildFunnel } from '../funnel/upkeep.ts';
import type { Rules, UpdateRulesRequest } from '../../contracts/rules.ts';

export type RulesPatch = Partial<Omit<WorkspaceSettings, 'followUpDays' | 'poolReleaseDays'>> & {
  followUpDays?: Partial<WorkspaceSettings['followUpDays']> | undefined;
  poolReleaseDays?: Partial<WorkspaceSettings['poolReleaseDays']> | undefined;
};

export async function getRules(db: Db, actor: Actor): Promise<Rules> {
  const row = await repo.settingsRow(db.kysely, actor.workspaceId);
  return { ...workspaceSettings(row.settings), version: row.version };
}

/** Problems of the whole rule set (fields across groups), each naming its field. */
export function rulesProblems(settings: WorkspaceSettings): FieldError[] {
  const out: FieldError[] = thresholdProblems({ aShareBp: settings.tierAShareBp, bShareBp: settings.tierBShareBp }).map(
    ([field, issue, message]) => fieldError(field === 'aShareBp' ? 'tierAShareBp' : 'tierBShareBp', issue, message),
  );
  // docs/archive.md § Follow-up cadence: A is followed up at least as often as B, B as often as C.
  if (settings.followUpDays.A > settings.followUpDays.B)
    out.push(
      fieldError(
        'followUpDays.A',
        { code: 'too_big', params: { max: settings.followUpDays.B, origin: 'number' } },
        'must not be longer than the B interval',
      ),
    );
  if (settings.followUpDays.B > settings.followUpDays.C)
    out.push(
      fieldError(
        'followUpDays.B',
        { code: 'too_big', params: { max: settings.followUpDays.C, origin: 'number' } },
        'must not be longer than the C interval',
      ),
    );
  // docs/archive.md: an account is released only after its follow-up interval has passed.
  for (const tier of TIERS) {
    const release = settings.poolReleaseDays[tier];
    if (release !== null && release < settings.followUpDays[tier])
      out.push(
        fieldError(
          `poolReleaseDays.${tier}`,
          { code: 'too_small', params: { min: settings.followUpDays[tier], origin: 'number' } },
          `must be at least the follow-up interval of ${settings.followUpDays[tier]} days`,
        ),
      );
  }
  for (const [field, message] of businessLineProblems(settings.businessLines))
    out.push(fieldError(field, { code: 'unique' }, message));
  return out;
}

/** Changes the workspace rules (administrators): validated as a whole, stored as JSON, audited. */
export async function updateRules(db: Db, actor: Actor, input: UpdateRulesRequest, ip: string | null) {
  if (!can(actor, 'workspace.administer')) throw forbidden('Only an administrator can change the workspace rules');
  const { version, ...patch } = input;
  await db.kysely.transaction().execute(async (trx) => {
    const row = await repo.settingsRow(trx, actor.workspaceId);
    if (row.version !== version) throw staleVersion('The workspace', row.version);
    let stored: Partial<WorkspaceSettings> = {};
    try {
      stored = JSON.parse(row.settings || '{}') as Partial<WorkspaceSettings>;
    } catch {
      stored = {};
    }
    const before = workspaceSettings(stored);
    const next: Partial<WorkspaceSettings> = {
      ...stored,
      ...Object.fromEntries(
        Object.entries(patch).filter(([k, v]) => v !== undefined && k !== 'followUpDays' && k !== 'poolReleaseDays'),
      ),
      ...(patch.followUpDays
        ? { followUpDays: { ...before.followUpDays, ...stripUndefined(patch.followUpDays) } }
        : {}),
      ...(patch.poolReleaseDays
        ? { poolReleaseDays: { ...before.poolReleaseDays, ...stripUndefined(patch.poolReleaseDays) } }
        : {}),
    };
    const after = workspaceSettings(next);
    const problems = rulesProblems(after);
    if (problems.length)
      throw new AppError('validation_failed', problems.map((p) => `${p.field}: ${p.message}`).join('; '), {
        errors: problems,
      });
    const ok = await repo.saveSettings(trx, actor.workspaceId, version, JSON.stringify(next));
    if (!ok) throw staleVersion('The workspace', (await repo.settingsRow(trx, actor.workspaceId)).version);
    const changed = Object.fromEntries(
      (Object.keys(after) as (keyof WorkspaceSettings)[])
        .filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]))
        .map((k) => [k, { from: before[k], to: after[k] }]),
    );
    // The funnel's totals are kept per size class and business line: a new threshold or new
    // lines re-sort every deal (docs/targets.md § Funnel, § Business lines).
    if (
      after.largeDealThreshold !== before.largeDealThreshold ||
      JSON.stringify(after.businessLines) !== JSON.stringify(before.businessLines)
    )
      await rebuildFunnel(trx, actor.workspaceId);
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'workspace.rules',
        targetType: 'workspace',
        targetId: actor.workspaceId,
        ip,
        detail: changed,
      },
      actor.now,
    );
  });
  return getRules(db, actor);
}

function stripUndefined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}
