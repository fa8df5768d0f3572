import { useState } from 'react';
import {
  Alert,
  App,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Drawer,
  Flex,
  Grid,
  Row,
  Skeleton,
  Table,
  Tabs,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import { CalendarOutlined } from '@ant-design/icons';
import { useDates } from '../../i18n/useDates.ts';
import { useSearchParams } from 'react-router';
import { LoadError } from '../../components/LoadError.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { addDays, mondayOf } from '../../../../src/domain/calendar.ts';
import type { TeamReportsResponse, WeeklyReport } from '../../../../src/contracts/rhythm.ts';
import { useCan } from '../auth/session.ts';
import { useCommentReport, useTeamReports, useWeeklyReport } from './api.ts';
import { Comments, SubmittedTag, WeeklyPlanForm, WeeklySummaryForm } from './WeeklyReportForms.tsx';

type TeamRow = TeamReportsResponse['items'][number] & { summary?: TeamReportsResponse['items'][number] };

/**
 * /weekly-reports (docs/rhythm.md § Weekly plan and summary): on a Monday a rep writes this
 * week's plan and last week's summary; a manager sees, for the same two, who has not submitted,
 * reads each report and comments. The week is in the URL (`?week=`, any date of it).
 */
export default function WeeklyReportsPage() {
  const t = useT();
  const can = useCan();
  const dates = useDates();
  const today = dates.today();
  const [params, setParams] = useSearchParams();
  const week = mondayOf(params.get('week') ?? today);
  const lastWeek = addDays(week, -7);
  const tab = params.get('tab') === 'team' && can('activities.supervise') ? 'team' : 'mine';
  const set = (key: string, value: string | undefined) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value === undefined) next.delete(key);
      else next.set(key, value);
      return next;
    });
  const range = (start: string) => t('weekly.range', { start, end: addDays(start, 6) });
  return (
    <>
      <PageHeader
        title={t('weekly.title')}
        subtitle={t('weekly.subtitle')}
        extra={
          <DatePicker
            picker="week"
            allowClear
            value={dates.pickerDay(week)}
            onChange={(d) => set('week', d ? mondayOf(dates.pickedDay(d)) : undefined)}
            aria-label={t('weekly.week')}
            suffixIcon={<CalendarOutlined />}
            inputReadOnly
          />
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(key) => set('tab', key === 'team' ? 'team' : undefined)}
        destroyOnHidden
        items={[
          {
            key: 'mine',
            label: t('weekly.tab.mine'),
            children: <MyWeek week={week} lastWeek={lastWeek} range={range} />,
          },
          ...(can('activities.supervise')
            ? [
                {
                  key: 'team',
                  label: t('weekly.tab.team'),
                  children: <TeamWeek week={week} lastWeek={lastWeek} range={range} />,
                },
              ]
            : []),
        ]}
      />
    </>
  );
}

interface WeekProps {
  week: string;
  lastWeek: string;
  range: (start: string) => string;
}

function MyWeek({ week, lastWeek, range }: WeekProps) {
  const t = useT();
  const plan = useWeeklyReport(week);
  const summary = useWeeklyReport(lastWeek);
  const part = (
    query: typeof plan,
    title: string,
    submittedAt: (r: WeeklyReport) => number | null,
    written: (r: WeeklyReport) => boolean,
    body: (r: WeeklyReport) => React.ReactNode,
    testId: string,
  ) => (
    <Card
      title={
        <CardTitle
          title={title}
          tag={query.data && <SubmittedTag at={submittedAt(query.data)} written={written(query.data)} />}
        />
      }
      data-testid={testId}
    >
      {query.isError && !query.data ? (
        <LoadError error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <Skeleton active />
      ) : (
        <>
          {body(query.data)}
          {query.data.id !== null && <Comments report={query.data} />}
        </>
      )}
    </Card>
  );
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        {part(
          plan,
          `${t('weekly.plan')} · ${range(week)}`,
          (r) => r.planSubmittedAt,
          (r) => r.id !== null && (r.plan.visits !== null || r.plan.targets !== null || r.plan.deals.length > 0),
          (report) => (
            <WeeklyPlanForm report={report} />
          ),
          'weekly-plan',
        )}
      </Col>
      <Col xs={24} xl={12}>
        {part(
          summary,
          `${t('weekly.summary')} · ${range(lastWeek)}`,
          (r) => r.summarySubmittedAt,
          (r) => r.id !== null && (r.summary.done !== null || r.summary.problems.length > 0),
          (report) => (
            <WeeklySummaryForm report={report} />
          ),
          'weekly-summary',
        )}
      </Col>
    </Row>
  );
}

/** The reps within reach: this week's plan and last week's summary, submitted or not. */
function TeamWeek({ week, lastWeek, range }: WeekProps) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const plans = useTeamReports(week, true);
  const summaries = useTeamReports(lastWeek, true);
  const dates = useDates();
  const [open, setOpen] = useState<{ id: number; name: string } | null>(null);
  const summaryOf = new Map((summaries.data?.items ?? []).map((row) => [row.user.id, row]));
  const rows: TeamRow[] = (plans.data?.items ?? []).map((row) => ({ ...row, summary: summaryOf.get(row.user.id) }));
  const status = (at: number | null | undefined) =>
    at ? (
      <Tag color="green">{dates.format(at, 'monthDayTime')}</Tag>
    ) : (
      <Tag color="red">{t('weekly.team.missingTag')}</Tag>
    );
  const columns: TableProps<TeamRow>['columns'] = [
    {
      title: t('weekly.team.rep'),
      key: 'rep',
      render: (_, row) => (
        <Flex vertical>
          <a onClick={() => setOpen({ id: row.user.id, name: row.user.name })} data-testid="weekly-open">
            {row.user.name}
          </a>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.user.orgUnitLabel}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('weekly.team.plan'), key: 'plan', render: (_, row) => status(row.planSubmittedAt) },
    { title: t('weekly.team.summary'), key: 'summary', render: (_, row) => status(row.summary?.summarySubmittedAt) },
    {
      title: t('weekly.team.problems'),
      key: 'problems',
      align: 'right',
      responsive: ['md'],
      render: (_, row) => row.summary?.problems ?? 0,
    },
    {
      title: t('weekly.team.comments'),
      key: 'comments',
      align: 'right',
      responsive: ['md'],
      render: (_, row) => row.comments + (row.summary?.comments ?? 0),
    },
  ];
  const failed = plans.isError ? plans : summaries.isError ? summaries : null;
  if (failed) return <LoadError error={failed.error} onRetry={() => void failed.refetch()} />;
  return (
    <>
      {plans.data && summaries.data && (
        <Alert
          type={plans.data.missing.plan || summaries.data.missing.summary ? 'warning' : 'success'}
          showIcon
          style={{ marginBottom: 12 }}
          title={t('weekly.team.missing', { plan: plans.data.missing.plan, summary: summaries.data.missing.summary })}
          data-testid="weekly-missing"
        />
      )}
      <Table<TeamRow>
        rowKey={(row) => row.user.id}
        size={screens.md ? 'middle' : 'small'}
        loading={plans.isPending || summaries.isPending}
        dataSource={rows}
        columns={columns}
        pagination={false}
        data-testid="weekly-team-table"
        locale={{ emptyText: t('weekly.team.empty') }}
      />
      {open && <ReportDrawer user={open} week={week} lastWeek={lastWeek} range={range} onClose={() => setOpen(null)} />}
    </>
  );
}

const text = (value: string | null, none: string) => (
  <span style={{ whiteSpace: 'pre-line' }}>{value ?? <Typography.Text type="secondary">{none}</Typography.Text>}</span>
);

/** One rep's plan and summary as their manager reads them, with comments. */
function ReportDrawer({
  user,
  week,
  lastWeek,
  range,
  onClose,
}: WeekProps & { user: { id: number; name: string }; onClose: () => void }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const reportProblem = useProblem();
  const plan = useWeeklyReport(week, user.id);
  const summary = useWeeklyReport(lastWeek, user.id);
  const comment = useCommentReport();
  const none = t('weekly.nothing');
  const onComment = (report: WeeklyReport) =>
    report.permissions.comment && report.id !== null
      ? (body: string) =>
          comment.mutate(
            { id: report.id!, body },
            { onSuccess: () => message.success(t('weekly.commented')), onError: (e) => reportProblem(e) },
          )
      : undefined;
  return (
    <Drawer
      open
      onClose={onClose}
      size={screens.md ? 640 : '100%'}
      title={t('weekly.reportOf', { name: user.name })}
      data-testid="weekly-report-drawer"
    >
      {plan.data && (
        <Card
          size="small"
          title={
            <CardTitle
              title={`${t('weekly.plan')} · ${range(week)}`}
              tag={<SubmittedTag at={plan.data.planSubmittedAt} written={plan.data.id !== null} />}
            />
          }
          style={{ marginBottom: 16 }}
        >
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'visits', label: t('weekly.plan.visits'), children: text(plan.data.plan.visits, none) },
              { key: 'targets', label: t('weekly.plan.targets'), children: text(plan.data.plan.targets, none) },
              {
                key: 'deals',
                label: t('weekly.plan.deals'),
                children: text(
                  plan.data.plan.deals.map((d) => (d.note ? `${d.name} — ${d.note}` : d.name)).join('\n') || null,
                  none,
                ),
              },
            ]}
          />
          {plan.data.id !== null && <Comments report={plan.data} onComment={onComment(plan.data)} />}
        </Card>
      )}
      {summary.data && (
        <Card
          size="small"
          title={
            <CardTitle
              title={`${t('weekly.summary')} · ${range(lastWeek)}`}
              tag={<SubmittedTag at={summary.data.summarySubmittedAt} written={summary.data.id !== null} />}
            />
          }
        >
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'done', label: t('weekly.summary.done'), children: text(summary.data.summary.done, none) },
              {
                key: 'progress',
                label: t('weekly.summary.progress'),
                children: text(summary.data.summary.progress, none),
              },
              {
                key: 'problems',
                label: t('weekly.summary.problems'),
                children: summary.data.summary.problems.length ? (
                  <Flex vertical gap={4}>
                    {summary.data.summary.problems.map((row, index) => (
                      <div key={index}>
                        <Typography.Text strong>{row.problem}</Typography.Text>
                        <br />→ {row.solution}
                      </div>
                    ))}
                  </Flex>
                ) : (
                  none
                ),
              },
              { key: 'help', label: t('weekly.summary.help'), children: text(summary.data.summary.help, none) },
            ]}
          />
          {summary.data.id !== null && <Comments report={summary.data} onComment={onComment(summary.data)} />}
        </Card>
      )}
      {(plan.isPending || summary.isPending) && <Skeleton active />}
    </Drawer>
  );
}

/**
 * A card's title with its submitted tag beside it, wrapping under it when the screen is narrow: as the card's
 * `extra` the tag took the room of the title, cut to "This week's plan …" on a phone.
 */
function CardTitle({ title, tag }: { title: string; tag: React.ReactNode }) {
  return (
    <Flex wrap gap={8} align="center" justify="space-between" style={{ whiteSpace: 'normal', padding: '8px 0' }}>
      <span>{title}</span>
      {tag}
    </Flex>
  );
}
