import { DatePicker, Flex, Input, Select } from 'antd';
import { MoreFilters } from '../../components/MoreFilters.tsx';
import { useDates } from '../../i18n/useDates.ts';
import { useI18n, useT } from '../../i18n/useI18n.ts';
import { useRules } from '../territories/api.ts';
import { useSession } from '../auth/session.ts';
import { UnitTreeSelect } from '../org/UnitTreeSelect.tsx';
import { usePeople } from './api.ts';
import type { ListFilters } from './types.ts';

/** Owner, unit, close period, search and business line — shared by the board and the list; the list adds size. */
export function OppFilterBar({
  filters,
  update,
  children,
  sizeFilter,
  lineFilter,
  moreFilters,
  more,
}: {
  filters: ListFilters;
  /**
   * The board and the list: unit and close dates (and the list's size) behind a "More filters"
   * button that counts those set, so the bar fits one row at 1440 px
   * (test/e2e/board-filters.test.ts, test/e2e/list-filter-bars.test.ts).
   */
  moreFilters?: boolean;
  /** The page's own filters behind "More filters" too, first in its panel, and how many are set (the list's stage). */
  more?: { filters: React.ReactNode; set: number };
  /** The list filters by size class too (the funnel drills down by it); the board does not. */
  sizeFilter?: boolean;
  /** The board and the list filter by business line (when the workspace has lines); the attention tab does not. */
  lineFilter?: boolean;
  update: (changes: Record<string, string | number | null | undefined>) => void;
  children?: React.ReactNode;
}) {
  const t = useT();
  const me = useSession();
  const people = usePeople();
  const dates = useDates();
  const wide = me.reach !== 'unit';
  const { locale } = useI18n();
  const lines = useRules().data?.businessLines ?? [];
  const unitAndDates = (
    <>
      {wide && (
        <UnitTreeSelect
          allowClear
          placeholder={t('opps.filter.unit')}
          value={filters.orgUnitId}
          onChange={(v) => update({ orgUnitId: v ?? null })}
          style={{ width: moreFilters ? '100%' : 170 }}
          popupMatchSelectWidth={false}
        />
      )}
      <DatePicker.RangePicker
        placeholder={[t('opps.filter.closeFrom'), t('opps.filter.closeTo')]}
        style={{ width: moreFilters ? '100%' : 250 }}
        value={
          filters.closeFrom || filters.closeTo
            ? [dates.pickerDay(filters.closeFrom), dates.pickerDay(filters.closeTo)]
            : null
        }
        onChange={(row) => update({ closeFrom: dates.pickedDay(row?.[0]), closeTo: dates.pickedDay(row?.[1]) })}
        allowEmpty={[true, true]}
      />
    </>
  );
  const sizeSelect = (
    <Select
      allowClear
      placeholder={t('opps.filter.size')}
      style={{ width: moreFilters ? '100%' : 120 }}
      value={filters.sizeClass}
      data-testid="opp-size"
      onChange={(v: string | undefined) => update({ sizeClass: v ?? null })}
      options={[
        { value: 'small', label: t('opps.size.small') },
        { value: 'large', label: t('opps.size.large') },
      ]}
    />
  );
  // Set in the URL but out of sight behind "More filters": counted on its button.
  const hiddenSet =
    (wide && filters.orgUnitId ? 1 : 0) +
    (filters.closeFrom || filters.closeTo ? 1 : 0) +
    (sizeFilter && filters.sizeClass ? 1 : 0) +
    (more?.set ?? 0);
  return (
    <Flex gap={8} wrap align="center" data-testid="opp-filter-bar">
      {children}
      <Input.Search
        allowClear
        placeholder={t('opps.filter.search')}
        defaultValue={filters.q}
        style={{ width: 220 }}
        onSearch={(v) => update({ q: v.trim() || null })}
        data-testid="opp-search"
      />
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        placeholder={t('opps.filter.owner')}
        style={{ width: 150 }}
        loading={people.isPending}
        value={filters.ownerId}
        onChange={(v: number | undefined) => update({ ownerId: v ?? null })}
        options={[
          { value: me.user.id, label: t('opps.filter.mine') },
          ...(people.data ?? []).filter((u) => u.id !== me.user.id).map((u) => ({ value: u.id, label: u.name })),
        ]}
      />
      {!moreFilters && unitAndDates}
      {sizeFilter && !moreFilters && sizeSelect}
      {lineFilter && (lines.length > 0 || filters.line) && (
        <Select
          allowClear
          placeholder={t('opps.filter.line')}
          style={{ width: 150 }}
          value={filters.line}
          data-testid="opp-line"
          onChange={(v: string | undefined) => update({ line: v ?? null })}
          options={[
            ...lines.map((line) => ({ value: line.key, label: locale === 'en-US' ? line.nameEn : line.nameZh })),
            { value: 'none', label: t('opps.filter.noLine') },
          ]}
        />
      )}
      {moreFilters && (
        <MoreFilters count={hiddenSet} testId="opp-more-filters">
          {more?.filters}
          {unitAndDates}
          {sizeFilter && sizeSelect}
        </MoreFilters>
      )}
    </Flex>
  );
}
