import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../versioned.ts';
import {
  QUALIFICATION_FACTS,
  qualificationScore,
  weakenedFacts,
  type Qualification,
} from '../../domain/buying-phase.ts';
import type { Actor } from '../../domain/policy.ts';
import { recordChanges, type Change } from '../history/repository.ts';
import type * as contract from '../../contracts/opportunity-insight.ts';
import { getInsight, loadForEdit } from './read.ts';
import { parseQualification, type StoredQualification } from './stored.ts';

/**
 * Qualification (docs/sales-process.md § Qualification): the six facts are assessed as a whole. A fact weaker than in the
 * previous assessment is the "advantage lost" signal of docs/sales-process.md: the opportunity is marked
 * (a manager clears it through PATCH /opportunities/:id {advantageLost: false}) and the
 * change of score goes to the record history with the weakened facts as its reason.
 */
export async function saveQualification(
  db: Db,
  actor: Actor,
  id: number,
  input: contract.QualificationRequest,
): Promise<contract.Insight> {
  const { row } = await loadForEdit(db, actor, id);
  const before = parseQualification(row.qualification);
  const after: Qualification = {};
  for (const qualificationFact of QUALIFICATION_FACTS) {
    const fact = input.facts[qualificationFact];
    if (fact) after[qualificationFact] = { answer: fact.answer, note: fact.note?.trim() ? fact.note.trim() : null };
  }
  const weakened = weakenedFacts(before.facts, after);
  const [oldScore, newScore] = [qualificationScore(before.facts), qualificationScore(after)];
  const { now } = actor;
  const stored: StoredQualification = { facts: after, weakened, assessedAt: now, assessedBy: actor.userId };
  const changes: Change[] =
    oldScore !== newScore || weakened.length
      ? [
          {
            workspaceId: actor.workspaceId,
            entityType: 'opportunity',
            entityId: id,
            field: 'qualification',
            oldValue: oldScore,
            newValue: newScore,
            reason: weakened.length ? `weakened: ${weakened.join(', ')}` : null,
            actorUserId: actor.userId,
          },
        ]
      : [];
  await db.kysely.transaction().execute(async (trx) => {
    await updateVersioned(
      trx,
      'opportunities',
      'Opportunity',
      { workspaceId: actor.workspaceId, id, version: input.version },
      {
        qualification: JSON.stringify(stored),
        ...(weakened.length ? { advantage_lost: 1 } : {}),
        updated_at: now,
      },
    );
    await recordChanges(trx, changes, now);
  });
  return getInsight(db, actor, id);
}
