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

  const field = (field: string) =>
    known(`opps.audit.field.${field}`) ??
    known(`accounts.history.field.${field}`) ??
    known(`timeline.field.${field}`) ??
    field;

  const value = (field: string, rawValue: string | null, label?: string | null): string => {
    if (rawValue === null) return t('timeline.none');
    if (label && label !== rawValue) return label; // user ids the server already named
    switch (field) {
      case 'amount':
        return /^-?\d+$/.test(rawValue) ? formatFen(Number(rawValue), locale) : rawValue;
      case 'status':
        return known(`opps.status.${rawValue}`) ?? known(`accounts.status.${rawValue}`) ?? rawValue;
      case 'forecast_category':
        return known(`opps.forecast.${rawValue}`) ?? rawValue;
      case 'strategy':
        return known(`opps.strategy.s.${rawValue}`) ?? rawValue;
      case 'qualification':
        return /^\d+$/.test(rawValue) ? `${rawValue}%` : rawValue;
      case 'archived':
      case 'named':
      case 'advantage_lost':
        return yesNo(rawValue);
      default:
        return rawValue;
    }
  };

  /** A reason as stored: a code (pool, handover, team role, loss reason), a close's parts, a strategy's path, or free text. */
  const reason = (field: string, rawReason: string | null): string | null => {
    if (!rawReason) return null;
    const stored = LEGACY_HISTORY_REASONS[rawReason] ?? rawReason;
    const code =
      (Object.hasOwn(HISTORY_REASON_KEYS, stored) ? t(HISTORY_REASON_KEYS[stored as HistoryReasonCode]) : null) ??
      known(`opps.teamRole.${rawReason}`) ??
      known(`opps.lossReason.${rawReason}`);
    if (code) return code;
    if (field === 'strategy' && /^\w+=(yes|no)( → \w+=(yes|no))*$/.test(rawReason)) {
      // The wizard's path: "urgentNeed=yes → canDeliver=no"
      return rawReason
        .split(' → ')
        .map((step) => {
          const [question, answer] = step.split('=');
          return `${known(`opps.strategy.q.${question}`) ?? question} ${answer === 'yes' ? t('common.yes') : t('common.no')}`;
        })
        .join(' → ');
    }
    if (field === 'qualification' && rawReason.startsWith('weakened: ')) {
      return t('timeline.weakened', {
        facts: rawReason
          .slice('weakened: '.length)
          .split(', ')
          .map((q) => known(`opps.qual.${q}`) ?? q)
          .join('、'),
      });
    }
    if (field === 'status') {
      // A close: "price · competitor: 西门子 · note"
      const competitor = (name: string) =>
        name === 'none' ? t('timeline.noCompetitor') : t('timeline.lostTo', { name });
      return rawReason
        .split(' · ')
        .map((part) =>
          part.startsWith('competitor: ')
            ? competitor(part.slice('competitor: '.length))
            : (known(`opps.lossReason.${part}`) ?? part),
        )
        .join(' · ');
    }
    return rawReason;
  };

  return { field, value, reason };
}
