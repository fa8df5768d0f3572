import { useI18n } from '../../i18n/useI18n.ts';
import { formatFen } from '../../i18n/money.ts';
import { zhCN, type MessageKey } from '../../i18n/zh-CN.ts';
import { LEGACY_HISTORY_REASONS, type HistoryReasonCode } from '../../../../src/domain/history-reasons.ts';
import { HISTORY_REASON_KEYS } from './reasons.ts';

/**
 * Words for the stored change history (record_history): field names, coded values and reason
 * codes in the reader's language. The audit trail, the account history and the timeline all
 * read the same rows, so they all say them this way. Unknown codes show as stored.
 */
export function useHistoryText() {
  const { t, locale } = useI18n();
  const known = (key: string) => (key in zhCN ? t(key as MessageKey) : null);
  const yesNo = (v: string) => (v === 'true' ? t('common.yes') : v === 'false' ? t('common.no') : v);

  const field = (f: string) => known(`opps.audit.field.${f}`) ?? known(`accounts.history.field.${f}`) ?? known(`timeline.field.${f}`) ?? f;

  const value = (f: string, v: string | null, label?: string | null): string => {
    if (v === null) return t('timeline.none');
    if (label && label !== v) return label; // user ids the server already named
    switch (f) {
      case 'amount': return /^-?\d+$/.test(v) ? formatFen(Number(v), locale) : v;
      case 'status': return known(`opps.status.${v}`) ?? known(`accounts.status.${v}`) ?? v;
      case 'forecast_category': return known(`opps.forecast.${v}`) ?? v;
      case 'strategy': return known(`opps.strategy.s.${v}`) ?? v;
      case 'qualification': return /^\d+$/.test(v) ? `${v}%` : v;
      case 'archived':
      case 'named':
      case 'advantage_lost': return yesNo(v);
      default: return v;
    }
  };

  /** A reason as stored: a code (pool, handover, team role, loss reason), a close's parts, a strategy's path, or free text. */
  const reason = (f: string, r: string | null): string | null => {
    if (!r) return null;
    const stored = LEGACY_HISTORY_REASONS[r] ?? r;
    const code = (Object.hasOwn(HISTORY_REASON_KEYS, stored) ? t(HISTORY_REASON_KEYS[stored as HistoryReasonCode]) : null)
      ?? known(`opps.teamRole.${r}`) ?? known(`opps.lossReason.${r}`);
    if (code) return code;
    if (f === 'strategy' && /^\w+=(yes|no)( → \w+=(yes|no))*$/.test(r)) {
      // The wizard's path: "urgentNeed=yes → canDeliver=no"
      return r.split(' → ').map((step) => {
        const [q, a] = step.split('=');
        return `${known(`opps.strategy.q.${q}`) ?? q} ${a === 'yes' ? t('common.yes') : t('common.no')}`;
      }).join(' → ');
    }
    if (f === 'qualification' && r.startsWith('weakened: ')) {
      return t('timeline.weakened', { facts: r.slice('weakened: '.length).split(', ').map((q) => known(`opps.qual.${q}`) ?? q).join('、') });
    }
    if (f === 'status') {
      // A close: "price · competitor: 西门子 · note"
      const competitor = (name: string) => (name === 'none' ? t('timeline.noCompetitor') : t('timeline.lostTo', { name }));
      return r.split(' · ').map((part) => (part.startsWith('competitor: ') ? competitor(part.slice('competitor: '.length)) : known(`opps.lossReason.${part}`) ?? part)).join(' · ');
    }
    return r;
  };

  return { field, value, reason };
}
