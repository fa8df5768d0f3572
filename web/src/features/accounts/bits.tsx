import { Tag, Tooltip, Typography } from 'antd';
import type { Translate } from '../../i18n/I18nProvider.tsx';
import { useT } from '../../i18n/useI18n.ts';
import type { AccountStatus, Attitude, Influence, Tier } from './types.ts';

export const TIER_COLORS: Record<Tier, string> = { A: '#dc2626', B: '#d97706', C: '#64748b' };
export const ATTITUDE_COLORS: Record<Attitude, string> = {
  supports: '#16a34a',
  neutral: '#94a3b8',
  opposes: '#dc2626',
};
export const ATTITUDE_TINTS: Record<Attitude, string> = { supports: '#dcfce7', neutral: '#f1f5f9', opposes: '#fee2e2' };
const STATUS_COLORS: Record<AccountStatus, string> = {
  prospect: 'blue',
  customer: 'green',
  dormant: 'default',
  lost: 'red',
};
const INFLUENCE_COLORS: Record<Influence, string> = { high: 'magenta', medium: 'gold', low: 'default' };

export function TierBadge({ tier, overridden, reason }: { tier: Tier; overridden?: boolean; reason?: string | null }) {
  const t = useT();
  const badge = (
    <Tag
      color={TIER_COLORS[tier]}
      style={{ fontWeight: 700, marginInlineEnd: 0, minWidth: 26, textAlign: 'center' }}
      data-testid="tier-badge"
    >
      {tier}
      {overridden ? '*' : ''}
    </Tag>
  );
  if (!overridden) return <Tooltip title={t(`accounts.tier.hint.${tier}`)}>{badge}</Tooltip>;
  return <Tooltip title={`${t('accounts.tier.overridden')}${reason ? `: ${reason}` : ''}`}>{badge}</Tooltip>;
}

export function StatusTag({ status }: { status: AccountStatus }) {
  const t = useT();
  return <Tag color={STATUS_COLORS[status]}>{t(`accounts.status.${status}`)}</Tag>;
}

export function AttitudeTag({ attitude }: { attitude: Attitude }) {
  const t = useT();
  return (
    <Tag
      color={attitude === 'supports' ? 'success' : attitude === 'opposes' ? 'error' : 'default'}
      style={{ marginInlineEnd: 0 }}
    >
      {t(`accounts.attitude.${attitude}`)}
    </Tag>
  );
}

export function InfluenceTag({ influence }: { influence: Influence }) {
  const t = useT();
  return (
    <Tag color={INFLUENCE_COLORS[influence]} style={{ marginInlineEnd: 0 }}>
      {t(`accounts.influence.${influence}`)}
    </Tag>
  );
}

export const degreeLabel = (translate: Translate, degree: number) =>
  translate(`accounts.degree.${Math.min(5, Math.max(1, degree)) as 1 | 2 | 3 | 4 | 5}`);

/** Relationship degree 1–5 as five segments with its name (陌生/认识/信任/支持/同盟, docs/archive.md § Buying roles). */
export function DegreeBar({ degree }: { degree: number }) {
  const t = useT();
  const color = degree >= 4 ? '#16a34a' : degree === 3 ? '#2563eb' : degree === 2 ? '#d97706' : '#94a3b8';
  return (
    <span
      style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}
      aria-label={`${degree}/5 ${degreeLabel(t, degree)}`}
    >
      <span style={{ display: 'inline-flex', gap: 2 }}>
        {[1, 2, 3, 4, 5].map((level) => (
          <span
            key={level}
            style={{ width: 10, height: 8, borderRadius: 2, background: level <= degree ? color : '#e5e7eb' }}
          />
        ))}
      </span>
      <Typography.Text style={{ fontSize: 12 }}>{degreeLabel(t, degree)}</Typography.Text>
    </span>
  );
}
