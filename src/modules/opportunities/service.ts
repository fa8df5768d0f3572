/**
 * Opportunities (docs/sales-process.md): the area's use cases, one file each, gathered here as the area's
 * surface for routes and other areas. Reads and the rights check: read.ts; the stage gate:
 * gate.ts; create.ts, update.ts, moves.ts (move, close, reopen), team.ts, board.ts (board,
 * needs attention), evidence.ts (gathered evidence, evidence files).
 */
export { toOpportunityDto, gatheredOf, type DtoView, type GatheredItem } from './dto.ts';
export {
  getOpportunity,
  listOpportunities,
  opportunityHistory,
  requireOpportunity,
  requireRight,
  stageHistory,
} from './read.ts';
export { createOpportunity, type EntryInput, type OpportunityInput } from './create.ts';
export { updateOpportunity, type OpportunityPatch } from './update.ts';
export { closeOpportunity, moveStage, reopenOpportunity, type CloseInput, type StageMoveInput } from './moves.ts';
export { addTeamMember, removeTeamMember } from './team.ts';
export { attention, board, type BoardQuery } from './board.ts';
export { opportunityAttachments, saveStageEvidence } from './evidence.ts';
