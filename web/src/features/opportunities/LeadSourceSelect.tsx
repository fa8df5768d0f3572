import { Select } from 'antd';
import { useT } from '../../i18n/useI18n.ts';
import { LEAD_SOURCES, type LeadSource } from '../accounts/types.ts';

/** Where a deal came from: the workspace's list of lead sources, the same as an account's. */
export function LeadSourceSelect({
  value,
  onChange,
  disabled,
  testId = 'opp-lead-source-select',
}: {
  value?: LeadSource | null;
  onChange?: (source: LeadSource | null) => void;
  disabled?: boolean;
  testId?: string;
}) {
  const t = useT();
  return (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      value={value ?? undefined}
      disabled={disabled}
      onChange={(source: LeadSource | undefined) => onChange?.(source ?? null)}
      options={LEAD_SOURCES.map((source) => ({ value: source, label: t(`accounts.leadSource.${source}`) }))}
      data-testid={testId}
    />
  );
}
