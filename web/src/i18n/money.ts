import { useI18n } from './useI18n.ts';

/** Money is stored in integer fen (docs/method.md): shown as ¥ in whole yuan, typed in yuan. */

/** ¥ from fen, whole yuan; `compact` gives 万 / k for column headers and cards. */
export function formatFen(fen: number | null | undefined, locale: string, compact = false): string {
  if (fen === null || fen === undefined) return '—';
  const yuan = fen / 100;
  if (compact && Math.abs(yuan) >= 10_000) {
    if (locale.startsWith('zh'))
      return `¥${(yuan / 10_000).toLocaleString(locale, { maximumFractionDigits: yuan >= 1_000_000 ? 0 : 1 })}万`;
    return `¥${(yuan / 1000).toLocaleString(locale, { maximumFractionDigits: 0 })}k`;
  }
  return `¥${yuan.toLocaleString(locale, { maximumFractionDigits: 0 })}`;
}

/** Yuan typed by a person → fen. */
export const yuanToFen = (yuan: number | null | undefined) => Math.round((yuan ?? 0) * 100);

/** formatFen in the interface language. */
export function useMoney() {
  const { locale } = useI18n();
  return (fen: number | null | undefined, compact = false) => formatFen(fen, locale, compact);
}
