import { BRAND } from '../app/theme.ts';

/** The Keyline mark and word; "Keyline" is the product name in every language. */
export function Brand({ dark, compact, size = 20 }: { dark?: boolean; compact?: boolean; size?: number }) {
  const mark = Math.round(size * 1.4);
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 10, whiteSpace: 'nowrap' }}>
      <svg width={mark} height={mark} viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="7" fill={dark ? '#ffffff' : BRAND} />
        <path
          d="M9 7v18M9 16l9-9M12.5 12.5 21 25"
          stroke={dark ? BRAND : '#ffffff'}
          strokeWidth="3.2"
          strokeLinecap="round"
          strokeLinejoin="round"
          fill="none"
        />
      </svg>
      {!compact && (
        <span style={{ fontSize: size, fontWeight: 650, letterSpacing: 0.2, color: dark ? '#ffffff' : '#0f172a' }}>
          Keyline
        </span>
      )}
    </span>
  );
}
