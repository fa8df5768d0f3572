import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Popconfirm,
  Result,
  Row,
  Select,
  Space,
  Statistic,
  Steps,
  Table,
  Tag,
  Typography,
} from 'antd';
import { CheckCircleOutlined, SaveOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router';
import { useDates } from '../../i18n/useDates.ts';
import { isApiError } from '../../api/client.ts';
import type { Role, User } from '../../api/types.ts';
import { useProblem } from '../../api/useProblem.ts';
import { FullPageSpinner } from '../../components/FullPageSpinner.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { zhCN, type MessageKey } from '../../i18n/zh-CN.ts';
import { useUsers } from '../users/api.ts';
import { canTakeOver } from '../../../../src/domain/handover.ts';
import { useMoney } from '../../i18n/money.ts';
import { StatusTag } from '../opportunities/bits.tsx';
import {
  CATEGORIES,
  useAssignSuccessors,
  useCancelHandover,
  useCompleteHandover,
  useHandover,
  useHandoverContacts,
  useSaveNote,
  type Category,
  type HandoverDetail,
  type HandoverFollower,
  type HandoverItem,
  type HandoverNote,
} from './api.ts';
import { useShippedText } from '../processes/shippedText.ts';

/** Who may take each kind of item: the server's own rule (src/domain/handover.ts). */
const takes = (category: Category, role: Role | undefined) => role !== undefined && canTakeOver(category, role);

const catLabel = (c: Category) => `handover.cat.${c}` as MessageKey;

/**
 * The item's second line: names as written, then its role or industry in words. An unknown
 * code (added on the server later) still shows, as itself.
 */
function ItemDetail({ item: item }: { item: HandoverItem }) {
  const t = useT();
  const word = (key: string, code: string) => (key in zhCN ? t(key as MessageKey) : code);
  const role =
    item.role &&
    (item.category === 'team'
      ? word(`opps.teamRole.${item.role}`, item.role)
      : word(`accounts.role.${item.role}`, item.role));
  const industry = item.industry && word(`accounts.industry.${item.industry}`, item.industry);
  const line = [item.detail, role, industry].filter(Boolean).join(' · ');
  return line ? (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {line}
    </Typography.Text>
  ) : null;
}

/** A deal row's state: what the successor takes on (status, stage and probability, amount). */
function DealState({ item }: { item: HandoverItem }) {
  const t = useT();
  const shipped = useShippedText();
  const money = useMoney();
  if (item.dealStatus === null) return null;
  return (
    <Space size={6} wrap data-testid="handover-deal-state">
      <StatusTag status={item.dealStatus} />
      {item.stageName && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {item.probability === null
            ? shipped(item.stageName)
            : t('handover.dealStage', { stage: shipped(item.stageName), probability: item.probability })}
        </Typography.Text>
      )}
      {item.amount !== null && <Typography.Text style={{ fontSize: 12 }}>{money(item.amount)}</Typography.Text>}
    </Space>
  );
}

/** The handover wizard (离职交接, docs/archive.md): inventory → successors → key-account notes → review and complete. */
export default function HandoverWizard() {
  const t = useT();
  const id = Number(useParams().id);
  const handover = useHandover(id);
  const [step, setStep] = useState(0);
  // A step starts at its top: "next" sits below a long table, so the page would stay at the bottom.
  // Braces: Chromium's scrollTo may return a promise, which React would take for a clean-up.
  useEffect(() => {
    window.scrollTo({ top: 0 });
  }, [step]);
  if (handover.isPending) return <FullPageSpinner />;
  if (handover.isError) return <LoadError error={handover.error} onRetry={() => void handover.refetch()} />;
  const detail = handover.data;
  const title = t('handover.titleFor', { name: detail.fromUser.name });
  if (detail.status !== 'draft') return <CompletedView d={detail} title={title} />;
  return (
    <>
      <PageHeader
        title={title}
        subtitle={t('handover.subtitle', { unit: detail.fromUser.orgUnitName, email: detail.fromUser.email })}
        extra={<Link to="/handovers">{t('handover.backToList')}</Link>}
      />
      <Steps
        current={step}
        onChange={setStep}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('handover.step.inventory') },
          { title: t('handover.step.successors') },
          { title: t('handover.step.notes') },
          { title: t('handover.step.review') },
        ]}
        data-testid="handover-steps"
      />
      {step === 0 && <InventoryStep d={detail} />}
      {step === 1 && <SuccessorsStep d={detail} />}
      {step === 2 && <NotesStep d={detail} />}
      {step === 3 && <ReviewStep d={detail} onGoto={setStep} />}
      <Flex justify="space-between" style={{ marginTop: 24 }}>
        <Button disabled={step === 0} onClick={() => setStep(step - 1)}>
          {t('handover.prev')}
        </Button>
        {step < 3 && (
          <Button type="primary" onClick={() => setStep(step + 1)} data-testid="handover-next">
            {t('handover.next')}
          </Button>
        )}
      </Flex>
    </>
  );
}

function InventoryStep({ d: detail }: { d: HandoverDetail }) {
  const t = useT();
  const total = detail.items.length;
  return (
    <>
      <Row gutter={[16, 16]}>
        {CATEGORIES.map((category) => (
          <Col key={category} xs={12} md={8} lg={4}>
            <Card size="small">
              <Statistic title={t(catLabel(category))} value={detail.counts[category]} />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={8} lg={4}>
          <Card size="small">
            <Statistic title={t('handover.cat.tasksVisits')} value={detail.counts.tasks + detail.counts.visits} />
          </Card>
        </Col>
      </Row>
      {total === 0 ? (
        <Empty description={t('handover.nothingOwned')} />
      ) : (
        <Typography.Paragraph>
          {t('handover.inventoryHint', { n: total, key: detail.keyAccounts })}
        </Typography.Paragraph>
      )}
      <ItemsTable d={detail} />
      <FollowersTable d={detail} />
    </>
  );
}

/** The leaver's open tasks and planned visits on the accounts handed over, and whom each goes to. */
function FollowersTable({ d: detail }: { d: HandoverDetail }) {
  const t = useT();
  const dates = useDates();
  if (detail.followers.length === 0) return null;
  return (
    <Card
      size="small"
      title={`${t('handover.followers.title')} (${detail.followers.length})`}
      style={{ marginTop: 16 }}
      data-testid="handover-followers"
    >
      <Typography.Paragraph type="secondary">{t('handover.tasksNote')}</Typography.Paragraph>
      <Table<HandoverFollower>
        size="small"
        rowKey={(follower) => `${follower.kind}-${follower.id}`}
        dataSource={detail.followers}
        pagination={detail.followers.length > 20 ? { pageSize: 20 } : false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('handover.followers.col.what'),
            key: 'what',
            render: (_, follower) => (
              <Space size={6}>
                <Tag color={follower.kind === 'task' ? 'green' : 'blue'}>
                  {follower.kind === 'task'
                    ? t('handover.followers.kind.task')
                    : t(`activities.type.${follower.activityType ?? 'visit'}` as MessageKey)}
                </Tag>
                {follower.title}
              </Space>
            ),
          },
          {
            title: t('handover.followers.col.date'),
            key: 'date',
            render: (_, follower) =>
              follower.startAt !== null ? dates.format(follower.startAt, 'dateTime') : follower.date,
          },
          {
            title: t('handover.followers.col.account'),
            key: 'account',
            render: (_, follower) => <Link to={`/accounts/${follower.account.id}`}>{follower.account.name}</Link>,
          },
          {
            title: t('handover.followers.col.to'),
            key: 'to',
            render: (_, follower) =>
              follower.toUserName ?? (
                <Typography.Text type="warning">{t('handover.followers.noSuccessor')}</Typography.Text>
              ),
          },
        ]}
      />
    </Card>
  );
}

function useCandidates(detail: HandoverDetail) {
  const users = useUsers({ limit: 500, offset: 0, active: true, sort: 'name' });
  return useMemo(
    () => (users.data?.items ?? []).filter((u) => u.id !== detail.fromUser.id),
    [users.data, detail.fromUser.id],
  );
}

const userOptions = (users: User[], category: Category | null) =>
  users
    .filter((u) => takes(category ?? 'account', u.role))
    .map((u) => ({ value: u.id, label: `${u.name} · ${u.orgUnitLabel}` }));

function SuccessorsStep({ d: detail }: { d: HandoverDetail }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const users = useCandidates(detail);
  const assign = useAssignSuccessors(detail.id);
  const [bulk, setBulk] = useState<number | undefined>();
  const [bulkCat, setBulkCat] = useState<Category | 'all'>('all');
  const apply = (items: { itemId: number; toUserId: number | null }[]) =>
    assign.mutateAsync(items).then(
      () => void message.success(t('handover.saved')),
      (e: unknown) => report(e),
    );
  return (
    <>
      <Card size="small" title={t('handover.bulkTitle')} style={{ marginBottom: 16 }}>
        <Flex gap={12} wrap align="center">
          <Select
            value={bulkCat}
            onChange={setBulkCat}
            style={{ width: 180 }}
            options={[
              { value: 'all', label: t('handover.bulkAll') },
              ...CATEGORIES.filter((c) => detail.counts[c] > 0).map((c) => ({ value: c, label: t(catLabel(c)) })),
            ]}
            aria-label={t('handover.bulkScope')}
          />
          <Select
            showSearch
            optionFilterProp="label"
            placeholder={t('handover.chooseSuccessor')}
            value={bulk}
            onChange={setBulk}
            style={{ minWidth: 260 }}
            options={userOptions(users, bulkCat === 'all' ? null : bulkCat)}
            data-testid="bulk-successor"
          />
          <Button
            type="primary"
            disabled={!bulk}
            loading={assign.isPending}
            onClick={() =>
              apply(
                detail.items
                  .filter(
                    (item) =>
                      (bulkCat === 'all' || item.category === bulkCat) &&
                      takes(item.category, users.find((u) => u.id === bulk)?.role),
                  )
                  .map((i) => ({ itemId: i.id, toUserId: bulk! })),
              )
            }
            data-testid="bulk-apply"
          >
            {t('handover.bulkApply')}
          </Button>
        </Flex>
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
          {t('handover.bulkHint')}
        </Typography.Text>
      </Card>
      <ItemsTable d={detail} editable users={users} onAssign={(itemId, toUserId) => apply([{ itemId, toUserId }])} />
    </>
  );
}

function ItemsTable({
  d: detail,
  editable,
  users,
  onAssign,
}: {
  d: HandoverDetail;
  editable?: boolean;
  users?: User[];
  onAssign?: (itemId: number, toUserId: number | null) => void;
}) {
  const t = useT();
  return (
    <Table<HandoverItem>
      rowKey="id"
      size="small"
      dataSource={detail.items}
      pagination={detail.items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      scroll={{ x: 'max-content' }}
      data-testid="handover-items"
      columns={[
        {
          title: t('handover.col.kind'),
          dataIndex: 'category',
          key: 'cat',
          width: 110,
          render: (c: Category) => <Tag>{t(catLabel(c))}</Tag>,
          filters: CATEGORIES.map((c) => ({ text: t(catLabel(c)), value: c })),
          onFilter: (v, r) => r.category === v,
        },
        {
          title: t('handover.col.item'),
          key: 'label',
          render: (_, item) => (
            <Space direction="vertical" size={0}>
              <Space size={4}>
                <Typography.Text strong>{item.label}</Typography.Text>
                {item.tier && (
                  <Tag color={item.tier === 'A' ? 'red' : item.tier === 'B' ? 'orange' : 'default'}>{item.tier}</Tag>
                )}
                {item.named && <Tag color="gold">{t('pool.named')}</Tag>}
                {item.keyAccount && <Tag color="purple">{t('handover.keyAccount')}</Tag>}
              </Space>
              <ItemDetail item={item} />
              <DealState item={item} />
            </Space>
          ),
        },
        {
          title: t('handover.col.successor'),
          key: 'to',
          width: 280,
          render: (_, item) =>
            editable && users ? (
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                size="small"
                style={{ width: 260 }}
                placeholder={t('handover.chooseSuccessor')}
                value={item.toUserId ?? undefined}
                onChange={(v?: number) => onAssign?.(item.id, v ?? null)}
                options={userOptions(users, item.category)}
                status={item.toUserId ? undefined : 'warning'}
              />
            ) : (
              (item.toUserName ?? <Typography.Text type="warning">{t('handover.noSuccessor')}</Typography.Text>)
            ),
        },
      ]}
    />
  );
}

function NoteForm({ d: detail, item }: { d: HandoverDetail; item: HandoverItem }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const save = useSaveNote(detail.id);
  const contacts = useHandoverContacts(detail.id);
  const [form] = Form.useForm<HandoverNote>();
  useEffect(
    () => form.setFieldsValue(item.note ?? { state: '', openIssues: '', keyContacts: '', contactIds: [] }),
    [form, item.note],
  );
  const options = (contacts.data?.items ?? [])
    .filter((c) => c.accountId === item.accountId)
    .map((c) => ({ value: c.id, label: c.title ? `${c.name}（${c.title}）` : c.name }));
  return (
    <Card
      size="small"
      title={
        <Space>
          {item.label}
          {item.tier && <Tag color="red">{item.tier}</Tag>}
          {item.noteGaps.length === 0 ? (
            <Tag icon={<CheckCircleOutlined />} color="success">
              {t('handover.noteDone')}
            </Tag>
          ) : (
            <Tag color="warning">{t('handover.noteMissing')}</Tag>
          )}
        </Space>
      }
      style={{ marginBottom: 16 }}
      data-testid={`note-${item.id}`}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(note) =>
          save.mutateAsync({ itemId: item.id, note: { ...note, contactIds: note.contactIds ?? [] } }).then(
            () => void message.success(t('handover.saved')),
            (e: unknown) => report(e, form),
          )
        }
      >
        <Form.Item
          name="state"
          label={t('handover.note.state')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 2 }} placeholder={t('handover.note.statePh')} />
        </Form.Item>
        <Form.Item
          name="openIssues"
          label={t('handover.note.openIssues')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 2 }} placeholder={t('handover.note.openIssuesPh')} />
        </Form.Item>
        <Form.Item name="contactIds" label={t('handover.note.keyContacts')}>
          <Select
            mode="multiple"
            options={options}
            placeholder={t('handover.note.contactsPh')}
            notFoundContent={t('handover.note.noContacts')}
          />
        </Form.Item>
        <Form.Item name="keyContacts" label={t('handover.note.keyContactsText')}>
          <Input.TextArea autoSize={{ minRows: 1 }} placeholder={t('handover.note.keyContactsPh')} />
        </Form.Item>
        <Button htmlType="submit" icon={<SaveOutlined />} loading={save.isPending}>
          {t('handover.saveNote')}
        </Button>
      </Form>
    </Card>
  );
}

function NotesStep({ d: detail }: { d: HandoverDetail }) {
  const t = useT();
  const keys = detail.items.filter((i) => i.keyAccount);
  if (keys.length === 0) return <Empty description={t('handover.noKeyAccounts')} />;
  return (
    <>
      <Typography.Paragraph type="secondary">{t('handover.notesHint')}</Typography.Paragraph>
      {keys.map((item) => (
        <NoteForm key={item.id} d={detail} item={item} />
      ))}
    </>
  );
}

function ReviewStep({ d: detail, onGoto }: { d: HandoverDetail; onGoto: (step: number) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const navigate = useNavigate();
  const complete = useCompleteHandover(detail.id);
  const cancel = useCancelHandover(detail.id);
  const noSuccessor = detail.missing.filter((m) => m.problem === 'no_successor').length;
  const noNote = detail.missing.filter((m) => m.problem === 'no_note').length;
  const bySuccessor = new Map<string, number>();
  for (const item of detail.items)
    if (item.toUserName) bySuccessor.set(item.toUserName, (bySuccessor.get(item.toUserName) ?? 0) + 1);
  return (
    <>
      {detail.missing.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('handover.blocked')}
          description={
            <Space direction="vertical">
              {noSuccessor > 0 && (
                <a onClick={() => onGoto(1)}>{t('handover.missingSuccessors', { n: noSuccessor })}</a>
              )}
              {noNote > 0 && <a onClick={() => onGoto(2)}>{t('handover.missingNotes', { n: noNote })}</a>}
            </Space>
          }
          data-testid="handover-missing"
        />
      ) : (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('handover.ready')}
          description={t('handover.readyHint', { name: detail.fromUser.name })}
        />
      )}
      <Descriptions bordered size="small" column={1} style={{ marginBottom: 16 }}>
        {[...bySuccessor].map(([name, count]) => (
          <Descriptions.Item key={name} label={name}>
            {t('handover.itemsCount', { n: count })}
          </Descriptions.Item>
        ))}
      </Descriptions>
      <FollowersTable d={detail} />
      <div style={{ height: 16 }} />
      <Flex gap={12}>
        <Popconfirm
          title={t('handover.completeConfirm', { name: detail.fromUser.name })}
          description={t('handover.completeConfirmHint')}
          okText={t('handover.complete')}
          okButtonProps={{ danger: true }}
          cancelText={t('common.cancel')}
          disabled={detail.missing.length > 0}
          onConfirm={() =>
            complete.mutateAsync(detail.version).then(
              () => void message.success(t('handover.completed', { name: detail.fromUser.name })),
              (err: unknown) =>
                isApiError(err) && err.code === 'handover_incomplete'
                  ? void message.warning(t('handover.blocked'))
                  : report(err),
            )
          }
        >
          <Button
            type="primary"
            danger
            disabled={detail.missing.length > 0}
            loading={complete.isPending}
            data-testid="handover-complete"
          >
            {t('handover.complete')}
          </Button>
        </Popconfirm>
        <Popconfirm
          title={t('handover.cancelConfirm')}
          okText={t('handover.cancel')}
          cancelText={t('common.cancel')}
          onConfirm={() =>
            cancel.mutateAsync(detail.version).then(
              () => navigate('/handovers'),
              (e: unknown) => report(e),
            )
          }
        >
          <Button>{t('handover.cancel')}</Button>
        </Popconfirm>
      </Flex>
    </>
  );
}

function CompletedView({ d: detail, title }: { d: HandoverDetail; title: string }) {
  const t = useT();
  const dates = useDates();
  const keys = detail.items.filter((i) => i.keyAccount && i.note);
  return (
    <>
      <PageHeader title={title} extra={<Link to="/handovers">{t('handover.backToList')}</Link>} />
      <Result
        status={detail.status === 'completed' ? 'success' : 'info'}
        title={
          detail.status === 'completed'
            ? t('handover.doneTitle', { name: detail.fromUser.name })
            : t('handover.cancelledTitle')
        }
        subTitle={
          detail.status === 'completed'
            ? t('handover.doneSub', {
                when: dates.format(detail.completedAt, 'dateTime') ?? '',
                by: detail.createdByName ?? '',
              })
            : undefined
        }
        style={{ padding: '16px 0' }}
      />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {CATEGORIES.map((category) => (
          <Col key={category} xs={12} md={8} lg={4}>
            <Card size="small">
              <Statistic title={t(catLabel(category))} value={detail.counts[category]} />
            </Card>
          </Col>
        ))}
      </Row>
      <ItemsTable d={detail} />
      {keys.length > 0 && (
        <Typography.Title level={5} style={{ marginTop: 24 }}>
          {t('handover.step.notes')}
        </Typography.Title>
      )}
      {keys.map((item) => (
        <Card key={item.id} size="small" title={item.label} style={{ marginBottom: 12 }}>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('handover.note.state')}>{item.note!.state}</Descriptions.Item>
            <Descriptions.Item label={t('handover.note.openIssues')}>{item.note!.openIssues}</Descriptions.Item>
            <Descriptions.Item label={t('handover.note.keyContactsText')}>
              {item.note!.keyContacts || t('common.none')}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      ))}
    </>
  );
}
