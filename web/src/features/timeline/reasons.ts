import type { HistoryReasonCode } from '../../../../src/domain/history-reasons.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';

/**
 * The words for every reason code the server writes into the history (src/domain/history-reasons.ts).
 * A Record over the codes: a code added there without its words here fails the typecheck.
 */
export const HISTORY_REASON_KEYS: Record<HistoryReasonCode, MessageKey> = {
  creator: 'opps.audit.reasonCode.creator',
  won: 'timeline.reason.won',
  contract_amount: 'timeline.reason.contract_amount',
  override: 'opps.audit.reasonCode.override',
  handover: 'opps.audit.reasonCode.handover',
  import: 'timeline.reason.import',
  territory: 'timeline.reason.territory',
  recompute: 'timeline.reason.recompute',
  pool_claim: 'pool.reason.pool_claim',
  pool_assign: 'pool.reason.pool_assign',
  pool_release: 'pool.reason.pool_release',
  pool_release_manual: 'pool.reason.pool_release_manual',
  key_account_team: 'timeline.reason.key_account_team',
};
