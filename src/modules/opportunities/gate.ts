import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/policy.ts';
import { checkStageMove, type EvidenceGiven } from '../../domain/stage-gate.ts';
import { AppError, forbidden, invalid, fieldError } from '../../server/problem.ts';
import { attachmentsWithUploaders } from '../attachments/service.ts';
import type { Change } from '../history/repository.ts';
import type { StageRow } from '../sales-processes/service.ts';
import * as dealRepo from './repository/deal.ts';

export interface GateInput {
  evidence: EvidenceGiven[];
  reason?: string | undefined;
  override?: boolean | undefined;
}
export type Passed = Extract<ReturnType<typeof checkStageMove>, { ok: true }>;
export const evidenceItems = (stage: StageRow) =>
  JSON.parse(stage.evidence) as { key: string; label: string; requires: 'check' | 'note' | 'attachment' }[];

/**
 * The stage gate (docs/sales-process.md) for a move, and for a new opportunity entering past the first
 * stage (a move from the first): the check passed, or the problem thrown — 400 naming an
 * evidence item that proves nothing of this move, 403 for an override one may not grant,
 * 400 for a missing reason, 422 listing the evidence still missing.
 */
export function passGate(
  stages: StageRow[],
  fromId: number,
  toId: number,
  input: GateInput,
  canOverride: boolean,
): Passed {
  const gate = stages.map((s) => ({ id: s.id, position: s.position, evidence: evidenceItems(s) }));
  const check = checkStageMove(gate, fromId, toId, input.evidence, {
    reason: input.reason ?? null,
    canOverride,
    override: input.override ?? false,
  });
  if (check.ok) return check;
  const byId = new Map(stages.map((s) => [s.id, s]));
  switch (check.error) {
    case 'unknown_stage':
      throw invalid('stageId', { code: 'not_of_process' }, "must be a stage of the opportunity's own sales process");
    case 'override_forbidden':
      throw forbidden('Only a manager over the opportunity may override missing evidence');
    case 'evidence_invalid': {
      const { index, field } = check.invalid;
      const given = input.evidence[index]!;
      throw field === 'stageId'
        ? invalid(
            `evidence.${index}.stageId`,
            { code: 'evidence_not_due', params: { stageId: given.stageId } },
            `stage ${given.stageId} is not left or skipped by this move; give only the evidence of those stages`,
          )
        : invalid(
            `evidence.${index}.key`,
            {
              code: 'unknown_evidence',
              params: { key: given.key, stage: byId.get(given.stageId)?.name ?? String(given.stageId) },
            },
            `"${given.key}" is not an evidence item of ${byId.get(given.stageId)?.name ?? `stage ${given.stageId}`}`,
          );
    }
    case 'reason_required':
      throw invalid(
        'reason',
        { code: 'required' },
        input.override ? 'an override needs a reason' : 'moving back needs a reason',
        'reason_required',
      );
    case 'evidence_missing': {
      const missing = check.missing.map((missingItem) => {
        const stage = byId.get(missingItem.stageId)!;
        const item = evidenceItems(stage).find((e) => e.key === missingItem.key);
        return { ...missingItem, stageName: stage.name, label: item?.label ?? missingItem.key };
      });
      throw new AppError(
        'evidence_missing',
        `Evidence missing: ${missing.map((m) => `${m.stageName} – ${m.label}${m.problem === 'missing' ? '' : ` (${m.problem.replace('_', ' ')})`}`).join('; ')}`,
        {
          errors: missing.map((missingItem) =>
            fieldError(
              `evidence.${missingItem.stageId}.${missingItem.key}`,
              { code: missingItem.problem === 'missing' ? 'required' : missingItem.problem },
              missingItem.problem,
            ),
          ),
          params: { missing },
        },
      );
    }
  }
}

/** How a stage was left, as its history row keeps it: direction, evidence, reason, what was overridden. */
export const exitOf = (actor: Actor, check: Passed, evidence: EvidenceGiven[], reason: string | undefined) => ({
  left_at: actor.now,
  left_by: actor.userId,
  exit_direction: check.direction,
  exit_evidence: JSON.stringify(evidence),
  exit_reason: reason ?? null,
  exit_overridden: check.overridden.length ? JSON.stringify(check.overridden) : null,
});

/** The audit-trail entry of a stage change (docs/sales-process.md "every move is in the audit trail"). */
export const stageChange = (
  actor: Actor,
  id: number,
  from: string | null,
  to: string,
  check: Passed,
  reason: string | undefined,
): Change => ({
  workspaceId: actor.workspaceId,
  entityType: 'opportunity',
  entityId: id,
  field: 'stage',
  oldValue: from,
  newValue: to,
  reason: reason ?? (check.overridden.length ? 'override' : null),
  actorUserId: actor.userId,
});

/**
 * Evidence files given at a stage move, or gathered before one (docs/sales-process.md), must exist in the
 * workspace, not prove another opportunity, and come from someone who can see this one.
 * Answers the ids to link.
 */
export async function checkEvidenceAttachments(
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  evidence: EvidenceGiven[],
): Promise<number[]> {
  const given = evidence.filter((e) => e.attachmentId);
  if (given.length === 0) return [];
  const rows = await attachmentsWithUploaders(db, actor.workspaceId, [...new Set(given.map((e) => e.attachmentId!))]);
  const byId = new Map(rows.map((a) => [a.id, a]));
  const uploaderSees = new Map<number, boolean>();
  for (const attachment of rows) {
    // A file already linked here is this opportunity's (its team downloads it), whoever uploaded it.
    if (
      attachment.uploaded_by === actor.userId ||
      attachment.opportunity_id === id ||
      uploaderSees.has(attachment.uploaded_by)
    )
      continue;
    const uploader: Actor = {
      workspaceId: actor.workspaceId,
      userId: attachment.uploaded_by,
      role: attachment.uploader_role as Actor['role'],
      orgUnitId: attachment.uploader_unit_id,
      unitPath: attachment.uploader_unit_path,
      now: actor.now,
      exportGranted: false,
    };
    uploaderSees.set(attachment.uploaded_by, (await dealRepo.getOpportunity(db, uploader, id)) !== undefined);
  }
  for (const givenEvidence of given) {
    const attachment = byId.get(givenEvidence.attachmentId!);
    const field = `evidence.${givenEvidence.stageId}.${givenEvidence.key}`;
    if (!attachment)
      throw invalid(
        field,
        { code: 'not_found', params: { id: givenEvidence.attachmentId! } },
        `no attachment with id ${givenEvidence.attachmentId}; upload the file first`,
      );
    if (attachment.opportunity_id !== null && attachment.opportunity_id !== id)
      throw invalid(field, { code: 'attachment_elsewhere' }, 'the attachment is evidence for another opportunity');
    if (
      attachment.uploaded_by !== actor.userId &&
      attachment.opportunity_id !== id &&
      !uploaderSees.get(attachment.uploaded_by)
    )
      throw invalid(
        field,
        { code: 'attachment_not_visible' },
        'the attachment was uploaded by someone who cannot see this opportunity',
      );
  }
  return rows.map((a) => a.id);
}
