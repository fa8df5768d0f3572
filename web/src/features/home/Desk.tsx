import type { ReactNode } from 'react';
import { Badge, Button, Card, Col, Empty, Flex, List, Row, Skeleton, Tag, Typography } from 'antd';
import {
  AlertOutlined,
  CalendarOutlined,
  FieldTimeOutlined,
  PlusOutlined,
  RightOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { LoadError } from '../../components/LoadError.tsx';
import { useDates } from '../../i18n/useDates.ts';
import { useI18n, useT } from '../../i18n/useI18n.ts';
import { countShown } from '../../i18n/format.ts';
import { useCan, useSession } from '../auth/session.ts';
import { TierBadge } from '../accounts/bits.tsx';
import type { Account } from '../accounts/types.ts';
import { PROBLEM_COLOR } from '../opportunities/bits.tsx';
import { useMoney } from '../../i18n/money.ts';
import type { Opportunity } from '../opportunities/types.ts';
import { LogActivityButton } from '../activities/LogActivityButton.tsx';
import { PlanVisitButton } from '../activities/PlanVisitButton.tsx';
import { useShippedText } from '../processes/shippedText.ts';
import { deskQueries } from './api.ts';

/** How many rows a home card lists before "view all". */
export const SHOWN = 5;
/**
 * The desk of a rep or a manager (docs/archive.md § Follow-up cadence, §5.3): what needs doing now, within what the caller may
 * see — opportunities that need attention, accounts overdue for a follow-up, deals due to close this month.
 * A rep's cards hold their own records (ownerId), a manager's their team's. One request (GET /desk) answers every
 * card with its list endpoint's first rows and total, and the filter it used, so "view all" opens that list with
 * the same filter; the lists' mutations refresh it (web/src/api/keys.ts deskKeys).
 */
export function Desk() {
  const { t, locale } = useI18n();
  const shipped = useShippedText();
  const { reach } = useSession();
  const can = useCan();
  const navigate = useNavigate();
  const managerView = reach !== 'unit';
  const dates = useDates();
  const desk = useQuery(deskQueries.desk(SHOWN));
  const filter = desk.data?.filter;
  const mine = { ownerId: filter?.ownerId == null ? undefined : String(filter.ownerId) };
  const card = <K extends 'attention' | 'overdue' | 'closing'>(key: K) => ({
    data: desk.data?.[key],
    isError: desk.isError,
    error: desk.error,
    refetch: desk.refetch,
  });
  const attention = card('attention');
  const overdue = card('overdue');
  const closing = card('closing');
  const overdueFilter = { ...mine, overdue: 'true', archived: 'false', sort: 'tier' };
  const closingFilter = {
    ...mine,
    status: 'open',
    closeFrom: filter?.closeFrom,
    closeTo: filter?.closeTo,
    minProbability: filter?.minProbability,
    sort: 'expectedCloseDate',
  };
  // An empty card means "all is well" only when there is something at all: a new workspace
  // needs to be told what to do instead.
  const noAccounts = desk.data?.anyAccounts === false;
  const noOpps = desk.data?.anyOpportunities === false;
  const createsAccounts = can('accounts.create');
  const createsOpps = can('opportunities.write');
  const noAccountsText = (
    <Flex vertical gap={12} align="center" data-testid="desk-no-accounts">
      <span>{t(createsAccounts ? 'home.desk.noAccounts' : 'home.desk.noAccountsReader')}</span>
      {createsAccounts && (
        <Flex gap={8} wrap justify="center">
          <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => void navigate('/accounts')}>
            {t('accounts.new')}
          </Button>
          <Button size="small" icon={<UploadOutlined />} onClick={() => void navigate('/accounts/import')}>
            {t('accounts.import')}
          </Button>
        </Flex>
      )}
    </Flex>
  );
  const noOppsText = (
    <Flex vertical gap={12} align="center" data-testid="desk-no-opps">
      <span>{t(createsOpps ? 'home.desk.noOpps' : 'home.desk.noOppsReader')}</span>
      {createsOpps && (
        <Button type="primary" size="small" onClick={() => void navigate('/opportunities/board')}>
          {t('home.desk.toBoard')} <RightOutlined />
        </Button>
      )}
    </Flex>
  );

  return (
    <Row gutter={[20, 20]} data-testid="desk">
      <Col xs={24} xl={8}>
        <DeskCard
          testId="desk-attention"
          icon={<AlertOutlined style={{ color: PROBLEM_COLOR.advantage_lost }} />}
          title={t('home.desk.attention')}
          query={attention}
          more={`/opportunities/list?${toQuery({ tab: 'attention', ...mine })}`}
          empty={noOpps ? noOppsText : t('home.desk.attentionEmpty')}
          extra={
            attention.data?.counts && (
              <Flex gap={4} wrap>
                {(['stalled', 'no_plan', 'advantage_lost'] as const).map(
                  (problem) =>
                    (attention.data?.counts?.[problem] ?? 0) > 0 && (
                      <Tag key={problem} color={PROBLEM_COLOR[problem]} style={{ margin: 0 }}>
                        {t(`opps.problem.${problem}`)}{' '}
                        {countShown(
                          attention.data?.counts?.[problem] ?? 0,
                          attention.data?.countsCapped?.[problem],
                          locale,
                        )}
                      </Tag>
                    ),
                )}
              </Flex>
            )
          }
          render={(opportunity: Opportunity) => (
            <List.Item key={opportunity.id}>
              <Flex vertical style={{ minWidth: 0, width: '100%' }}>
                <OppHeadline o={opportunity} />
                <Flex justify="space-between" gap={8}>
                  <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, minWidth: 0, flex: 1 }}>
                    {opportunity.accountName} · {shipped(opportunity.stageName)}
                  </Typography.Text>
                  <Flex gap={6} style={{ flexShrink: 0, whiteSpace: 'nowrap' }}>
                    {opportunity.problems.map((problem) => (
                      <Badge
                        key={problem}
                        color={PROBLEM_COLOR[problem]}
                        text={<span style={{ fontSize: 12 }}>{t(`opps.problem.${problem}`)}</span>}
                      />
                    ))}
                  </Flex>
                </Flex>
              </Flex>
            </List.Item>
          )}
        />
      </Col>
      <Col xs={24} xl={8}>
        <DeskCard
          testId="desk-overdue"
          icon={<FieldTimeOutlined style={{ color: '#d97706' }} />}
          title={t('home.desk.overdue')}
          query={overdue}
          more={`/accounts?${toQuery(overdueFilter)}`}
          empty={noAccounts ? noAccountsText : t('home.desk.overdueEmpty')}
          render={(account: Account) => (
            <List.Item key={account.id}>
              <Flex vertical style={{ minWidth: 0, width: '100%' }}>
                <Flex justify="space-between" gap={8} align="center">
                  <Link to={`/accounts/${account.id}`} style={{ fontWeight: 500, minWidth: 0 }}>
                    <Typography.Text ellipsis style={{ color: 'inherit' }}>
                      {account.name}
                    </Typography.Text>
                  </Link>
                  <Flex gap={6} align="center">
                    <TierBadge tier={account.tier} />
                    {can('activities.write') && (
                      <>
                        <PlanVisitButton
                          accountId={account.id}
                          compact
                          size="small"
                          type="link"
                          style={{ padding: 0 }}
                        />
                        <LogActivityButton
                          accountId={account.id}
                          compact
                          size="small"
                          type="link"
                          style={{ padding: 0 }}
                        />
                      </>
                    )}
                  </Flex>
                </Flex>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {account.lastFollowUpAt
                    ? t('home.desk.lastFollowUp', { days: dates.daysSince(account.lastFollowUpAt) })
                    : t('home.desk.neverFollowedUp')}
                  {' · '}
                  <Typography.Text type="danger" style={{ fontSize: 12 }}>
                    {t('home.desk.dueSince', { date: dates.format(account.nextFollowUpDue, 'monthDay') })}
                  </Typography.Text>
                  {managerView && account.ownerName ? ` · ${account.ownerName}` : ''}
                </Typography.Text>
              </Flex>
            </List.Item>
          )}
        />
      </Col>
      <Col xs={24} xl={8}>
        <DeskCard
          testId="desk-closing"
          icon={<CalendarOutlined style={{ color: '#1d4ed8' }} />}
          title={t('home.desk.closingMonth')}
          query={closing}
          more={`/opportunities/list?${toQuery(closingFilter)}`}
          empty={noOpps ? noOppsText : t('home.desk.closingMonthEmpty')}
          render={(opportunity: Opportunity) => (
            <List.Item key={opportunity.id}>
              <Flex vertical style={{ minWidth: 0, width: '100%' }}>
                <OppHeadline o={opportunity} />
                <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
                  {opportunity.expectedCloseDate} · {shipped(opportunity.stageName)} {opportunity.probability}%
                  {managerView ? ` · ${opportunity.ownerName}` : ''}
                </Typography.Text>
              </Flex>
            </List.Item>
          )}
        />
      </Col>
    </Row>
  );
}

/** A filter as a list's query string: what "view all" opens, so the list shows what the card counted. */
export const toQuery = (filter: Record<string, string | number | undefined>) =>
  new URLSearchParams(
    Object.entries(filter).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])),
  ).toString();

interface DeskCardProps<T> {
  testId: string;
  icon: ReactNode;
  title: string;
  query: { data?: { items: T[]; total: number } | undefined; isError: boolean; error: unknown; refetch: () => unknown };
  more: string;
  /** The link's words; "view all" by default. */
  moreText?: string | undefined;
  /** What an empty card says; null while that is still being found out. */
  empty: ReactNode | null;
  extra?: ReactNode;
  render: (item: T) => ReactNode;
}

export function DeskCard<T>({ testId, icon, title, query, more, moreText, empty, extra, render }: DeskCardProps<T>) {
  const t = useT();
  const total = query.data?.total;
  return (
    <Card
      data-testid={testId}
      style={{ height: '100%' }}
      // A narrow card wraps its title instead of cutting the count off.
      styles={{ body: { paddingTop: 8 }, title: { whiteSpace: 'normal' } }}
      title={
        <Flex gap={8} align="center">
          {icon}
          <span>{title}</span>
          {total !== undefined && (
            <Badge
              count={total}
              overflowCount={999}
              showZero
              color={total > 0 ? undefined : '#94a3b8'}
              data-testid={`${testId}-total`}
            />
          )}
        </Flex>
      }
      extra={
        total ? (
          <Link to={more}>
            {moreText ?? t('home.desk.viewAll')} <RightOutlined style={{ fontSize: 10 }} />
          </Link>
        ) : null
      }
    >
      {extra && <div style={{ marginBottom: 8 }}>{extra}</div>}
      {query.isError && !query.data ? (
        <LoadError error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data || (query.data.items.length === 0 && empty === null) ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : query.data.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />
      ) : (
        <List size="small" dataSource={query.data.items} renderItem={render} />
      )}
    </Card>
  );
}

/** An opportunity's name, linked, with its amount at the right: the first line of a desk row. */
function OppHeadline({ o: item }: { o: Opportunity }) {
  const money = useMoney();
  return (
    <Flex justify="space-between" gap={8}>
      <Link to={`/opportunities/${item.id}`} style={{ fontWeight: 500 }}>
        {item.name}
      </Link>
      <Typography.Text style={{ whiteSpace: 'nowrap' }}>{money(item.amount, true)}</Typography.Text>
    </Flex>
  );
}
