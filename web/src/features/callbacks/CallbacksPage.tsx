import { useState } from 'react';
import { App, Button, Card, Empty, Flex, Input, List, Segmented, Space, Tag, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, MessageOutlined } from '@ant-design/icons';
import { useDates } from '../../i18n/useDates.ts';
import { useSearchParams } from 'react-router';
import { useProblem } from '../../api/useProblem.ts';
import { PhoneLink } from '../../components/ContactLinks.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useCan } from '../auth/session.ts';
import { useAnswerCallback, useCallbacks, type CallbackDto } from './api.ts';
import { CallbackRates } from './CallbackRates.tsx';
import { OUTCOME_COLORS } from './outcome.ts';
import type { CallbackOutcome } from '../../../../src/contracts/callbacks.ts';

const PAGE = 20;

/** 回访抽检 (docs/rhythm.md § Callback audit): an auditor's work list; a manager's confirmation rates. */
export default function CallbacksPage() {
  const t = useT();
  const can = useCan();
  const auditor = can('callbacks.answer');
  return (
    <>
      <PageHeader
        title={t('callbacks.title')}
        subtitle={t(auditor ? 'callbacks.subtitle.auditor' : 'callbacks.subtitle.manager')}
      />
      {auditor ? <AuditorList /> : <CallbackRates />}
    </>
  );
}

/** The auditor's callbacks, to call first: the contacts' numbers dial on a tap, one button records the answer. */
function AuditorList() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const state = params.get('state') === 'all' ? 'all' : 'open';
  const [page, setPage] = useState(1);
  const callbacks = useCallbacks({
    state: state === 'open' ? 'open' : undefined,
    sort: state === 'open' ? 'visitAt' : '-visitAt',
    limit: PAGE,
    offset: (page - 1) * PAGE,
  });
  return (
    <Flex vertical gap={16}>
      <Segmented
        value={state}
        onChange={(value) => {
          setPage(1);
          setParams(value === 'open' ? {} : { state: String(value) });
        }}
        options={[
          { value: 'open', label: t('callbacks.state.open') },
          { value: 'all', label: t('callbacks.state.all') },
        ]}
        data-testid="callback-state"
        style={{ alignSelf: 'flex-start' }}
      />
      {callbacks.isError && !callbacks.data ? (
        <LoadError error={callbacks.error} onRetry={() => void callbacks.refetch()} />
      ) : (
        <List<CallbackDto>
          loading={callbacks.isPending}
          dataSource={callbacks.data?.items}
          rowKey="id"
          grid={{ gutter: 16, xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={t(state === 'open' ? 'callbacks.empty.open' : 'callbacks.empty.all')}
              />
            ),
          }}
          pagination={
            (callbacks.data?.total ?? 0) > PAGE
              ? {
                  current: page,
                  pageSize: PAGE,
                  total: callbacks.data?.total,
                  onChange: setPage,
                  showSizeChanger: false,
                }
              : false
          }
          renderItem={(callback) => (
            <List.Item>
              <CallbackCard callback={callback} />
            </List.Item>
          )}
          data-testid="callback-list"
        />
      )}
    </Flex>
  );
}

function CallbackCard({ callback }: { callback: CallbackDto }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const answer = useAnswerCallback();
  const dates = useDates();
  const [feedback, setFeedback] = useState('');
  const [missing, setMissing] = useState(false);

  function record(outcome: CallbackOutcome) {
    const words = feedback.trim();
    if (outcome === 'feedback' && !words) return setMissing(true);
    answer.mutate(
      { id: callback.id, version: callback.version, outcome, feedback: words || null },
      {
        onSuccess: () => void message.success(t('callbacks.recorded', { outcome: t(`callbacks.outcome.${outcome}`) })),
        onError: (error) => report(error),
      },
    );
  }

  return (
    <Card
      size="small"
      data-testid={`callback-${callback.id}`}
      title={
        <Flex vertical style={{ whiteSpace: 'normal', padding: '6px 0' }}>
          <Typography.Text strong>{callback.account.name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            {[callback.account.city, t('callbacks.rep', { name: callback.rep.name })].filter(Boolean).join(' · ')}
          </Typography.Text>
        </Flex>
      }
      extra={
        callback.outcome && (
          <Tag color={OUTCOME_COLORS[callback.outcome]} style={{ marginInlineEnd: 0 }}>
            {t(`callbacks.outcome.${callback.outcome}`)}
          </Tag>
        )
      }
    >
      <Flex vertical gap={10}>
        <Typography.Text>
          {t('callbacks.visit', { date: dates.format(callback.visit.startAt, 'dateTime') })}
          {callback.visit.subject ? ` · ${callback.visit.subject}` : ''}
        </Typography.Text>
        {callback.contacts.length === 0 ? (
          <Typography.Text type="secondary">{t('callbacks.noContacts')}</Typography.Text>
        ) : (
          <Flex vertical gap={6}>
            {callback.contacts.map((contact) => (
              <Flex key={contact.id} gap={8} wrap align="baseline">
                <Typography.Text strong>{contact.name}</Typography.Text>
                {contact.title && <Typography.Text type="secondary">{contact.title}</Typography.Text>}
                {contact.mobile && <PhoneLink number={contact.mobile} />}
                {contact.phone && <PhoneLink number={contact.phone} />}
                {!contact.mobile && !contact.phone && (
                  <Typography.Text type="secondary">{t('callbacks.noPhone')}</Typography.Text>
                )}
              </Flex>
            ))}
          </Flex>
        )}
        {callback.outcome ? (
          <Space direction="vertical" size={2}>
            {callback.feedback && <Typography.Text italic>“{callback.feedback}”</Typography.Text>}
            {callback.answeredAt && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('callbacks.answeredAt', { date: dates.format(callback.answeredAt, 'dateTime') ?? '' })}
              </Typography.Text>
            )}
          </Space>
        ) : (
          callback.permissions.answer && (
            <Flex vertical gap={8}>
              <Input.TextArea
                value={feedback}
                onChange={(event) => {
                  setFeedback(event.target.value);
                  setMissing(false);
                }}
                autoSize={{ minRows: 1, maxRows: 4 }}
                maxLength={2000}
                placeholder={t('callbacks.feedback.placeholder')}
                status={missing ? 'error' : undefined}
                data-testid="callback-feedback"
              />
              {missing && <Typography.Text type="danger">{t('callbacks.feedback.required')}</Typography.Text>}
              <Flex gap={8} wrap>
                <Button
                  type="primary"
                  icon={<CheckOutlined />}
                  loading={answer.isPending && answer.variables?.outcome === 'confirmed'}
                  disabled={answer.isPending}
                  onClick={() => record('confirmed')}
                  data-testid="record-confirmed"
                >
                  {t('callbacks.record.confirmed')}
                </Button>
                <Button
                  danger
                  icon={<CloseOutlined />}
                  loading={answer.isPending && answer.variables?.outcome === 'not_confirmed'}
                  disabled={answer.isPending}
                  onClick={() => record('not_confirmed')}
                  data-testid="record-not_confirmed"
                >
                  {t('callbacks.record.not_confirmed')}
                </Button>
                <Button
                  icon={<MessageOutlined />}
                  loading={answer.isPending && answer.variables?.outcome === 'feedback'}
                  disabled={answer.isPending}
                  onClick={() => record('feedback')}
                  data-testid="record-feedback"
                >
                  {t('callbacks.record.feedback')}
                </Button>
              </Flex>
            </Flex>
          )
        )}
      </Flex>
    </Card>
  );
}
