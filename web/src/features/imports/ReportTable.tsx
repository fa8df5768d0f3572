import { Table, Tag } from 'antd';
import { label, SIZE_LABELS, STATUS_LABELS, type Labels } from '../../../../src/domain/coded-labels.ts';
import { OPPORTUNITY_STATUS_LABELS } from '../../../../src/domain/opportunity-labels.ts';
import type { Locale } from '../../i18n/locale.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import type { useT } from '../../i18n/useI18n.ts';
import { useI18n } from '../../i18n/useI18n.ts';
import type { useReportRows } from './api.ts';
import { ERROR_PAGE, type ErrorRow as ReportRow, type RowProblem } from './api.ts';

const OUTCOME_COLOURS = { create: 'green', update: 'blue', skip: 'default', error: 'red' } as const;

/** The words an "unknown value" problem may offer, as the import accepts them (src/domain/coded-labels.ts). */
const ALLOWED_LABELS: Record<string, Labels> = {
  status: STATUS_LABELS,
  size: SIZE_LABELS,
  dealStatus: OPPORTUNITY_STATUS_LABELS,
};

/** A row problem in the page's language, filled with the values the server names (params). */
export function problemText(translate: ReturnType<typeof useT>, locale: Locale, problem: RowProblem) {
  const params = { ...problem.params };
  let variant = '';
  if (problem.code === 'unknown_value' && typeof params.allowed === 'string') {
    const labels = ALLOWED_LABELS[problem.field];
    params.allowed = params.allowed
      .split(',')
      .map((c) => (labels ? label(labels, c, locale) : c))
      .join(locale === 'zh-CN' ? '、' : ', ');
    variant = '.allowed';
  } else if (problem.code === 'duplicate_existing' && params.name !== undefined) variant = '.named';
  const key = `imports.problem.${problem.code}${variant}` as MessageKey;
  const text = translate(key, params);
  // An unknown code, or a report stored before problems carried their values: the server's words.
  return text === key || /\{\w+\}/.test(text) ? problem.message : text;
}

/** Rows of the report with their problems: errors that block, or warnings to look at. */
export function ReportTable({
  rows,
  page,
  onPage,
  fieldLabel,
  testId,
  showOutcome = false,
}: {
  rows: ReturnType<typeof useReportRows>;
  page: number;
  onPage: (page: number) => void;
  fieldLabel: (field: string) => string;
  testId: string;
  /** The duplicates list says what the commit will do with each row. */
  showOutcome?: boolean;
}) {
  const { t, locale } = useI18n();
  return (
    <Table
      size="small"
      rowKey="rowNo"
      loading={rows.isFetching}
      dataSource={rows.data?.items ?? []}
      data-testid={testId}
      pagination={{
        current: page,
        pageSize: ERROR_PAGE,
        total: rows.data?.total ?? 0,
        onChange: onPage,
        showSizeChanger: false,
        hideOnSinglePage: true,
      }}
      columns={[
        { title: t('imports.report.row'), dataIndex: 'rowNo', width: 90 },
        ...(showOutcome
          ? [
              {
                title: t('imports.report.outcome'),
                width: 110,
                render: (_: unknown, row: ReportRow) =>
                  row.outcome && (
                    <Tag color={OUTCOME_COLOURS[row.outcome]}>{t(`imports.outcome.${row.outcome}` as MessageKey)}</Tag>
                  ),
              },
            ]
          : []),
        {
          title: t('imports.report.field'),
          width: 200,
          render: (_: unknown, r) => r.problems.map((p, i) => <div key={i}>{fieldLabel(p.field)}</div>),
        },
        {
          title: t('imports.report.problem'),
          render: (_: unknown, r) => r.problems.map((p, i) => <div key={i}>{problemText(t, locale, p)}</div>),
        },
      ]}
    />
  );
}
