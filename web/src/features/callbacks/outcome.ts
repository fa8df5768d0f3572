import type { CallbackOutcome } from '../../../../src/contracts/callbacks.ts';

/** The colour of an answer wherever it shows (the work list, the drill-down, the visit). */
export const OUTCOME_COLORS: Record<CallbackOutcome, string> = {
  confirmed: 'green',
  not_confirmed: 'red',
  feedback: 'blue',
};
