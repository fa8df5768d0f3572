import { useMemo, useState } from 'react';
import { Alert, Button, Flex, Select, Table, Typography } from 'antd';
import { codesOf, labelsOf } from '../../../../src/domain/import-vocabulary.ts';
import { label } from '../../../../src/domain/coded-labels.ts';
import { useProblem } from '../../api/useProblem.ts';
import type { Locale } from '../../i18n/locale.ts';
import { useI18n } from '../../i18n/useI18n.ts';
import { useShippedText, type ShippedText } from '../processes/shippedText.ts';
import { useValidateImport, type DuplicateMode, type ImportJob, type UnknownValue, type ValueMapping } from './api.ts';

const UNMATCHED = '';

/**
 * What a value may stand for: a coded field's codes with their labels, or the workspace's process or
 * stage names — the answer keeps the name as stored, the reader sees a shipped template name in their
 * language (processes/shippedText.ts), as on the board and the deal.
 */
function choicesOf(unknown: UnknownValue, locale: Locale, shipped: ShippedText): { value: string; label: string }[] {
  if (unknown.field === 'process' || unknown.field === 'stage')
    return (unknown.choices ?? []).map((name) => ({ value: name, label: shipped(name) }));
  const field = unknown.field;
  return codesOf(field).map((code) => ({ value: code, label: label(labelsOf(field), code, locale) }));
}
const keyOf = (unknown: UnknownValue) => `${unknown.field}\u0000${unknown.value}`;

/**
 * The value-mapping step (docs/archive.md § Import and export): each value of a coded column the
 * dry run did not recognise, once, with its row count and the closest word pre-selected; the
 * answers go back with the next dry run and stay with the import for the commit.
 */
export function ValueMappingCard({ job, fieldLabel }: { job: ImportJob; fieldLabel: (field: string) => string }) {
  const { t, locale } = useI18n();
  const shipped = useShippedText();
  const report = useProblem();
  const validate = useValidateImport();
  const [picked, setPicked] = useState<Record<string, string>>(() =>
    Object.fromEntries(job.unknownValues.map((unknown) => [keyOf(unknown), unknown.suggestion ?? UNMATCHED])),
  );
  const rows = useMemo(() => job.unknownValues.reduce((sum, unknown) => sum + unknown.rows, 0), [job.unknownValues]);
  const apply = () => {
    const valueMapping: ValueMapping = structuredClone(job.valueMapping);
    for (const unknown of job.unknownValues) {
      const code = picked[keyOf(unknown)];
      if (!code) continue;
      (valueMapping[unknown.field] ??= {})[unknown.value] = code;
    }
    validate.mutate(
      {
        id: job.id,
        mapping: job.mapping ?? {},
        duplicateMode: (job.duplicateMode ?? 'skip') as DuplicateMode,
        valueMapping,
      },
      { onError: (error) => report(error) },
    );
  };
  return (
    <Flex vertical gap={12} data-testid="import-values">
      <Alert
        type="warning"
        showIcon
        message={t('imports.values.title', { n: job.unknownValues.length, rows })}
        description={t('imports.values.hint')}
      />
      <Table<UnknownValue>
        size="small"
        rowKey={keyOf}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={job.unknownValues}
        columns={[
          { title: t('imports.report.field'), width: 140, render: (_, unknown) => fieldLabel(unknown.field) },
          {
            title: t('imports.values.value'),
            render: (_, unknown) => <Typography.Text strong>{unknown.value}</Typography.Text>,
          },
          { title: t('imports.values.rows'), dataIndex: 'rows', width: 80, align: 'right' },
          {
            title: t('imports.values.code'),
            width: 240,
            render: (_, unknown) => (
              <Select
                style={{ width: '100%' }}
                value={picked[keyOf(unknown)] ?? UNMATCHED}
                onChange={(code) => setPicked((old) => ({ ...old, [keyOf(unknown)]: code }))}
                aria-label={`${fieldLabel(unknown.field)} ${unknown.value}`}
                showSearch
                optionFilterProp="label"
                // Every choice in the page, not only those scrolled to: the lists are short (at most a few dozen).
                virtual={false}
                options={[
                  { value: UNMATCHED, label: t('imports.values.unmatched') },
                  ...choicesOf(unknown, locale, shipped),
                ]}
              />
            ),
          },
        ]}
      />
      <Flex justify="flex-end">
        <Button onClick={apply} loading={validate.isPending} data-testid="import-values-apply">
          {t('imports.values.apply')}
        </Button>
      </Flex>
    </Flex>
  );
}
