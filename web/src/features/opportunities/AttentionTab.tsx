import { Card, Empty, Flex, Typography } from 'antd';
import { LoadError } from '../../components/LoadError.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import { useMoney } from '../../i18n/money.ts';
import { countShown } from '../../i18n/format.ts';
import { useAttention } from './api.ts';
import { PROBLEM_COLOR } from './bits.tsx';
import { useOppFilters } from './filters.ts';
import { useColumns } from './listColumns.tsx';
import { OppFilterBar } from './OppFilterBar.tsx';
import { PROBLEMS, type AttentionPage, type Opportunity, type Problem } from './types.ts';

/** The "needs attention" tab of the opportunity list: a card per problem (a filter), then the deals that have one. */
export function AttentionTab() {
  const { t, locale } = useI18n();
  const money = useMoney();
  const { list, filters, page, update, search } = useOppFilters();
  const problem = (search.get('problem') ?? undefined) as Problem | undefined;
  const attention = useAttention({ orgUnitId: filters.orgUnitId, ownerId: filters.ownerId, problem }, page, true);
  // What is wrong comes first here: the problems column right after the name.
  const all = (useColumns() ?? []).map(({ sorter: _sorter, ...c }) => c);
  // It fits a 1440-pixel screen whole (the owner column was off the edge): no status (all are open),
  // no expected amount (the amount says it), a narrower problems column.
  const columns = [
    ...all.filter((c) => c.key === 'name'),
    ...all.filter((c) => c.key === 'problems').map((c) => ({ ...c, width: 180 })),
    ...all.filter((c) => !['name', 'problems', 'status', 'expected'].includes(String(c.key))),
  ];
  if (attention.isError) return <LoadError error={attention.error} onRetry={() => void attention.refetch()} />;
  const counts: Partial<AttentionPage['counts']> = attention.data?.counts ?? {};
  // A workspace's or a region's count stops at 10,000, as a list's total does: "10,000+".
  const countOf = (problemKind: Problem) =>
    countShown(counts[problemKind] ?? 0, attention.data?.countsCapped[problemKind], locale);
  const sum = (attention.data?.items ?? []).reduce((s, o) => s + o.amount, 0);
  return (
    <>
      <Flex gap={12} wrap style={{ marginBottom: 12 }}>
        {PROBLEMS.map((problemKind) => (
          <Card
            key={problemKind}
            size="small"
            hoverable
            onClick={() => update({ problem: problem === problemKind ? null : problemKind })}
            data-testid={`attention-${problemKind}`}
            style={{
              width: 200,
              borderColor: problem === problemKind ? PROBLEM_COLOR[problemKind] : undefined,
              borderTop: `3px solid ${PROBLEM_COLOR[problemKind]}`,
            }}
          >
            <Typography.Text type="secondary">{t(`opps.problem.${problemKind}`)}</Typography.Text>
            <div style={{ fontSize: 26, fontWeight: 600, color: PROBLEM_COLOR[problemKind] }}>
              {countOf(problemKind)}
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(`opps.problem.${problemKind}Short`)}
            </Typography.Text>
          </Card>
        ))}
      </Flex>
      <Flex gap={8} wrap style={{ marginBottom: 12 }} align="center">
        <OppFilterBar filters={filters} update={update} />
        {attention.data && (
          <Typography.Text type="secondary">{t('opps.attention.onPage', { amount: money(sum) })}</Typography.Text>
        )}
      </Flex>
      <ListTable<Opportunity>
        list={list}
        query={attention}
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('opps.attention.empty')} /> }}
      />
    </>
  );
}
