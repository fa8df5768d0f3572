import { Flex, Select } from 'antd';
import { useSearchParams } from 'react-router';
import { useSession } from '../auth/session.ts';
import { UnitTreeSelect } from '../org/UnitTreeSelect.tsx';
import { useI18n, useT } from '../../i18n/useI18n.ts';
import { useRules } from '../territories/api.ts';
import type { ScopeParams } from './api.ts';

/** The scope and period of a report, kept in the URL (`?scope=unit:4&period=FY2026-Q3`) so a view can be linked to. */
export function useScopeParams(): [ScopeParams, (next: ScopeParams) => void] {
  const [search, setSearch] = useSearchParams();
  const params: ScopeParams = {
    scope: search.get('scope') ?? undefined,
    period: search.get('period') ?? undefined,
    line: search.get('line') ?? undefined,
  };
  const set = (next: ScopeParams) => {
    const urlSearchParams = new URLSearchParams(search);
    for (const [index, objectItem] of Object.entries(next))
      if (objectItem) urlSearchParams.set(index, objectItem);
      else urlSearchParams.delete(index);
    setSearch(urlSearchParams, { replace: true });
  };
  return [params, set];
}

/** The quarters of the fiscal year a quarter belongs to and of the year before, and the two years: what a report may be asked for. */
export function periodChoices(current: string | undefined): string[] {
  const match = /^FY(\d{4})-Q([1-4])$/.exec(current ?? '');
  if (!match) return current ? [current] : [];
  const fy = Number(match[1]);
  const out: string[] = [];
  for (const year of [fy, fy - 1]) {
    for (let query = 4; query >= 1; query--) out.push(`FY${year}-Q${query}`);
    out.push(`FY${year}`);
  }
  return out;
}

/**
 * Chooses whose numbers a report shows: a rep has only their own; a manager their unit, a unit
 * below it or themselves; executives and admins the company or any unit.
 */
export function ScopeBar({
  params,
  set,
  shown,
  currentPeriod,
}: {
  params: ScopeParams;
  set: (param: ScopeParams) => void;
  shown?: { kind: string; id: number | null };
  currentPeriod?: string;
}) {
  const t = useT();
  const { user, reach } = useSession();
  const kind = params.scope?.split(':')[0] ?? shown?.kind;
  const periods = periodChoices(currentPeriod);
  return (
    <Flex gap={8} wrap data-testid="scope-bar">
      {reach !== 'unit' && (
        <Select
          style={{ minWidth: 110 }}
          value={kind}
          data-testid="scope-kind"
          onChange={(key: string) =>
            set({
              ...params,
              scope: key === 'workspace' ? 'workspace' : key === 'user' ? `user:${user.id}` : `unit:${user.orgUnitId}`,
            })
          }
          options={[
            ...(reach === 'workspace' ? [{ value: 'workspace', label: t('forecast.scope.workspace') }] : []),
            { value: 'unit', label: t('forecast.scope.unit') },
            { value: 'user', label: t('forecast.scope.me') },
          ]}
        />
      )}
      {reach !== 'unit' && kind === 'unit' && (
        <UnitTreeSelect
          style={{ minWidth: 180 }}
          value={shown?.kind === 'unit' ? (shown.id ?? undefined) : undefined}
          onChange={(id: number) => set({ ...params, scope: `unit:${id}` })}
        />
      )}
      {periods.length > 0 && (
        <Select
          style={{ minWidth: 130 }}
          value={params.period ?? currentPeriod}
          data-testid="period"
          onChange={(p: string) => set({ ...params, period: p })}
          options={periods.map((p) => ({ value: p, label: p }))}
        />
      )}
    </Flex>
  );
}

/** A report narrowed to one business line (the gap, the forecast's line figures); shown only when the workspace has lines. */
export function LineSelect({ params, set }: { params: ScopeParams; set: (next: ScopeParams) => void }) {
  const { t, locale } = useI18n();
  const lines = useRules().data?.businessLines ?? [];
  if (lines.length === 0 && !params.line) return null;
  return (
    <Select
      data-testid="report-line"
      style={{ width: 160 }}
      value={params.line ?? ''}
      onChange={(line: string) => set({ line: line || undefined })}
      options={[
        { value: '', label: t('quotas.lines.all') },
        ...lines.map((line) => ({ value: line.key, label: locale === 'en-US' ? line.nameEn : line.nameZh })),
        { value: 'none', label: t('quotas.lines.none') },
      ]}
    />
  );
}

/** A line's name in the page's language, from its key (none: "no line"). */
export function useLineName() {
  const { t, locale } = useI18n();
  const lines = useRules().data?.businessLines ?? [];
  return (key: string) => {
    if (key === 'none') return t('quotas.lines.none');
    const line = lines.find((candidate) => candidate.key === key);
    return line ? (locale === 'en-US' ? line.nameEn : line.nameZh) : key;
  };
}
