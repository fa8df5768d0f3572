import { Button, Flex, Input, Select } from 'antd';
import { MoreFilters } from '../../components/MoreFilters.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import { UnitTreeSelect } from '../org/UnitTreeSelect.tsx';
import { usePeople } from './api.ts';
import type { useAccountFilters } from './useAccountFilters.ts';
import { ACCOUNT_STATUSES, INDUSTRIES, PROVINCES, TIERS, VALUE_TYPES } from './types.ts';

/** Filters hidden behind "More filters": counted on its button, as they are out of sight. */
const MORE_KEYS = ['city', 'valueType', 'named', 'inPool', 'overdue', 'archived'] as const;

/**
 * The accounts' filters: owner, unit, tier, status, industry and province in the row, the
 * less-used ones (city, value type, named, in pool, overdue, archived) behind "More filters",
 * so the row fits one line at 1440 px in both languages (it wrapped to two;
 * test/e2e/list-filter-bars.test.ts).
 */
export function AccountFilterRow({
  filters,
  update,
  filterCount,
  onClear,
}: {
  filters: ReturnType<typeof useAccountFilters>['filters'];
  update: ReturnType<typeof useAccountFilters>['update'];
  /** Every narrowing filter set (search and sort aside): the clear link shows when one is. */
  filterCount: number;
  onClear: () => void;
}) {
  const { t } = useI18n();
  const people = usePeople();
  const yesNo = [
    { value: 'true', label: t('common.yes') },
    { value: 'false', label: t('common.no') },
  ];
  return (
    <Flex gap={8} wrap data-testid="account-filters">
      <Select
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('accounts.filter.owner')}
        value={filters.ownerId ? Number(filters.ownerId) : undefined}
        onChange={(v) => update({ ownerId: v })}
        options={(people.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
        loading={people.isPending}
        style={{ width: 140 }}
      />
      <UnitTreeSelect
        allowClear
        placeholder={t('accounts.filter.unit')}
        value={filters.orgUnitId ? Number(filters.orgUnitId) : undefined}
        onChange={(v) => update({ orgUnitId: v })}
        style={{ width: 170 }}
        popupMatchSelectWidth={false}
      />
      <Select
        allowClear
        placeholder={t('accounts.filter.tier')}
        value={filters.tier}
        onChange={(v) => update({ tier: v })}
        options={TIERS.map((x) => ({ value: x, label: `${x} · ${t(`accounts.tier.hint.${x}`)}` }))}
        style={{ width: 110 }}
        popupMatchSelectWidth={false}
      />
      <Select
        allowClear
        placeholder={t('accounts.filter.status')}
        value={filters.status}
        onChange={(v) => update({ status: v })}
        options={ACCOUNT_STATUSES.map((x) => ({ value: x, label: t(`accounts.status.${x}`) }))}
        style={{ width: 110 }}
      />
      <Select
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('accounts.filter.industry')}
        value={filters.industry}
        onChange={(v) => update({ industry: v })}
        options={INDUSTRIES.map((x) => ({ value: x, label: t(`accounts.industry.${x}`) }))}
        style={{ width: 120 }}
        popupMatchSelectWidth={false}
      />
      <Select
        allowClear
        showSearch
        placeholder={t('accounts.filter.province')}
        value={filters.province}
        onChange={(v) => update({ province: v, city: undefined })}
        options={PROVINCES.map((x) => ({ value: x, label: x }))}
        style={{ width: 120 }}
        popupMatchSelectWidth={false}
      />
      <MoreFilters count={MORE_KEYS.filter((key) => filters[key] !== undefined).length} testId="account-more-filters">
        <Input
          allowClear
          placeholder={t('accounts.filter.city')}
          defaultValue={filters.city}
          key={`city-${filters.city ?? ''}`}
          onPressEnter={(e) => update({ city: e.currentTarget.value.trim() })}
          onBlur={(e) => e.target.value.trim() !== (filters.city ?? '') && update({ city: e.target.value.trim() })}
          style={{ width: '100%' }}
        />
        <Select
          allowClear
          placeholder={t('accounts.filter.valueType')}
          value={filters.valueType}
          onChange={(v) => update({ valueType: v })}
          options={VALUE_TYPES.map((x) => ({ value: x, label: t(`accounts.valueType.${x}`) }))}
          style={{ width: '100%' }}
          popupMatchSelectWidth={false}
        />
        <Select
          allowClear
          placeholder={t('accounts.filter.named')}
          value={filters.named}
          onChange={(v) => update({ named: v })}
          options={yesNo}
          style={{ width: '100%' }}
        />
        <Select
          allowClear
          placeholder={t('accounts.filter.inPool')}
          value={filters.inPool}
          onChange={(v) => update({ inPool: v })}
          options={yesNo}
          style={{ width: '100%' }}
        />
        <Select
          allowClear
          placeholder={t('accounts.filter.overdue')}
          value={filters.overdue}
          onChange={(v) => update({ overdue: v })}
          options={yesNo}
          style={{ width: '100%' }}
          popupMatchSelectWidth={false}
        />
        <Select
          allowClear
          placeholder={t('accounts.filter.archived')}
          value={filters.archived}
          onChange={(v) => update({ archived: v })}
          options={[
            { value: 'false', label: t('accounts.filter.activeOnly') },
            { value: 'true', label: t('accounts.filter.archivedOnly') },
          ]}
          style={{ width: '100%' }}
          popupMatchSelectWidth={false}
        />
      </MoreFilters>
      {filterCount > 0 && (
        <Button type="link" onClick={onClear}>
          {t('accounts.filter.clear')}
        </Button>
      )}
    </Flex>
  );
}
