/**
 * The event's detail as one line: "rows=120 · format=xlsx · filter: tier=A, q=华为" — an export
 * must show what was taken (docs/method.md § The four problems: a departing rep's bulk export is visible here).
 */
export function detailLine(detail: unknown): string {
  if (detail === null || typeof detail !== 'object') return detail == null ? '' : String(detail);
  const flat = (v: unknown): string =>
    v !== null && typeof v === 'object'
      ? Object.entries(v).filter(([, x]) => x !== undefined && x !== null && x !== '').map(([k, x]) => `${k}=${typeof x === 'object' ? JSON.stringify(x) : String(x)}`).join(', ')
      : String(v);
  return Object.entries(detail)
    .filter(([, v]) => v !== undefined && v !== null && v !== '' && !(typeof v === 'object' && Object.keys(v).length === 0))
    .map(([k, v]) => (v !== null && typeof v === 'object' ? `${k}: ${flat(v)}` : `${k}=${String(v)}`))
    .join(' · ');
}
