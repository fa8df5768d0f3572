/**
 * The reason codes the server writes into the change history (record_history.reason) by itself;
 * a person's own reason is stored as their text. The web app has a sentence for every code in
 * both languages (web/src/features/timeline/reasons.ts, typed over this list), and
 * test/web/history-reasons.test.ts fails on a code written in src/ that is not listed here — so
 * no code reaches the screen raw ("原因：won").
 */
export const HISTORY_REASON_CODES = [
  'creator',
  'won',
  'contract_amount',
  'override',
  'handover',
  'import',
  'territory',
  'recompute',
  'pool_claim',
  'pool_assign',
  'pool_release',
  'pool_release_manual',
  'key_account_team',
] as const;
export type HistoryReasonCode = (typeof HISTORY_REASON_CODES)[number];

/** Codes earlier versions wrote, and the code they mean now. */
export const LEGACY_HISTORY_REASONS: Readonly<Record<string, HistoryReasonCode>> = {
  'contract amount': 'contract_amount',
};
