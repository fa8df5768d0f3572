import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../versioned.ts';
import type { Actor } from '../../domain/policy.ts';
import { checkGathered, gatheredStatus, type EvidenceGiven, type GatheredProblem } from '../../domain/stage-gate.ts';
import { AppError, invalid, staleVersion } from '../../server/problem.ts';
import type { FieldIssue } from '../../contracts/problems.ts';
import { attachmentsOf, linkToOpportunity } from '../attachments/service.ts';
import { recordChanges } from '../history/repository.ts';
import { getStage } from '../sales-processes/service.ts';
import { gatheredOf } from './dto.ts';
import { checkEvidenceAttachments, evidenceItems } from './gate.ts';
import { getOpportunity, requireOpportunity, requireRight } from './read.ts';
import type * as contract from '../../contracts/opportunities.ts';

const PROBLEM_TEXT: Record<GatheredProblem['problem'], string> = {
  not_current_stage: 'only the evidence of the current stage is gathered before a move',
  unknown_key: 'is not an evidence item of the current stage',
  duplicate: 'this item is given twice',
  note_required: 'this item needs a note',
  attachment_required: 'this item needs a file; upload it first',
};

/** A gathering problem as a field-error code of the problems table. */
function fieldIssueOfGathered(
  problem: GatheredProblem['problem'],
  given: { key: string; stageId: number },
  stage: string,
): FieldIssue {
  switch (problem) {
    case 'not_current_stage':
      return { code: 'evidence_not_due', params: { stageId: given.stageId } };
    case 'unknown_key':
      return { code: 'unknown_evidence', params: { key: given.key, stage } };
    case 'duplicate':
      return { code: 'unique' };
    default:
      return { code: problem };
  }
}

const status = (s: { given: number; required: number }) => `${s.given}/${s.required}`;

/**
 * Records the evidence of the current stage as the team collects it (docs/sales-process.md "what is done
 * is seen"), replacing what was gathered: anyone who contributes to the deal (a presales
 * engineer with the technical proof, the owner, a manager above). The files become the
 * opportunity's at once, so the team can open them. The audit trail and the timeline get the
 * progress ("2/3"). A stage move still decides on the evidence it is sent (the dialog starts
 * from this), and every change of stage empties it.
 */
export async function saveStageEvidence(
  db: Db,
  actor: Actor,
  id: number,
  input: { version: number; evidence: EvidenceGiven[] },
) {
  const { r: opportunity } = await requireRight(
    db,
    actor,
    id,
    'contribute',
    'You cannot record evidence on this opportunity',
  );
  if (opportunity.status !== 'open') throw new AppError('closed', 'A closed opportunity cannot be edited');
  if (input.version !== opportunity.version) throw staleVersion('Opportunity', opportunity.version);
  const stage =
    opportunity.stage_id === null ? undefined : await getStage(db.kysely, actor.workspaceId, opportunity.stage_id);
  if (!stage) throw new AppError('no_process', 'The opportunity has no sales process yet; choose one first');
  const items = evidenceItems(stage);
  const problem = checkGathered({ id: stage.id, position: stage.position, evidence: items }, input.evidence);
  if (problem) {
    const given = input.evidence[problem.index]!;
    throw invalid(
      `evidence.${problem.index}.${problem.field}`,
      fieldIssueOfGathered(problem.problem, given, stage.name),
      problem.problem === 'unknown_key'
        ? `"${given.key}" ${PROBLEM_TEXT.unknown_key} (${stage.name})`
        : PROBLEM_TEXT[problem.problem],
    );
  }
  const attachmentIds = await checkEvidenceAttachments(db.kysely, actor, id, input.evidence);
  const evidence = input.evidence.map((evidenceItem) => ({
    stageId: evidenceItem.stageId,
    key: evidenceItem.key,
    note: evidenceItem.note?.trim() || null,
    attachmentId: evidenceItem.attachmentId ?? null,
  }));
  const before = gatheredOf(opportunity).evidence;
  // Saving the same set again (a double click) changes nothing and costs nobody a version.
  if (JSON.stringify(before) === JSON.stringify(evidence)) return getOpportunity(db, actor, id);
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    await updateVersioned(
      trx,
      'opportunities',
      'Opportunity',
      { workspaceId: actor.workspaceId, id, version: input.version },
      { stage_evidence: JSON.stringify(evidence), updated_at: now },
    );
    await linkToOpportunity(trx, actor.workspaceId, attachmentIds, id);
    await recordChanges(
      trx,
      [
        {
          workspaceId: actor.workspaceId,
          entityType: 'opportunity',
          entityId: id,
          field: 'evidence',
          oldValue: status(gatheredStatus({ evidence: items }, before)),
          newValue: status(gatheredStatus({ evidence: items }, evidence)),
          actorUserId: actor.userId,
        },
      ],
      now,
    );
  });
  return getOpportunity(db, actor, id);
}

/** The files given as evidence on this opportunity's stage moves (docs/sales-process.md), without their bytes. */
export async function opportunityAttachments(
  db: Db,
  actor: Actor,
  id: number,
): Promise<contract.OpportunityAttachment[]> {
  await requireOpportunity(db, actor, id);
  return (await attachmentsOf(db.kysely, actor.workspaceId, id)).map((attachment) => ({
    id: attachment.id,
    fileName: attachment.file_name,
    size: attachment.size,
    contentType: attachment.content_type,
    createdAt: attachment.created_at,
    uploadedByName: attachment.uploader_name,
  }));
}
