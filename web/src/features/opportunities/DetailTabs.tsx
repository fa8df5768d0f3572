import { useEffect, useState } from 'react';
import {
  Alert,
  App,
  Avatar,
  Button,
  Card,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import {
  ArrowLeftOutlined,
  ArrowRightOutlined,
  DeleteOutlined,
  PaperClipOutlined,
  PlusOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useDates } from '../../i18n/useDates.ts';
import { Link, useNavigate } from 'react-router';
import { useProblem } from '../../api/useProblem.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useHistoryText } from '../timeline/historyText.ts';
import { useSession } from '../auth/session.ts';
import { AttitudeTag, DegreeBar, InfluenceTag } from '../accounts/bits.tsx';
import {
  useAddReview,
  useAddTeamMember,
  useAuditTrail,
  useBuyingRoles,
  usePeople,
  useRemoveTeamMember,
  useReviews,
  useStageHistory,
} from './api.ts';
import {
  ROOT_CAUSES,
  TEAM_ROLES,
  type HistoryItem,
  type OpportunityDetail,
  type Process,
  type RootCause,
  type Stage,
  type TeamRole,
} from './types.ts';

/** Instants on these tabs: date and time on the workspace's clock, a dash for none. */
function useWhen() {
  const dates = useDates();
  return (ms: number | null | undefined) => dates.format(ms, 'dateTime') ?? '—';
}

/**
 * The opportunity team (docs/sales-process.md § The opportunity) with the roles the stage suggests. Its lead (the owner, a
 * manager over it) adds and removes people; any other member may leave.
 */
export function TeamTab({ o: opportunity, stage }: { o: OpportunityDetail; stage: Stage | undefined }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const me = useSession();
  const navigate = useNavigate();
  const people = usePeople();
  const add = useAddTeamMember();
  const remove = useRemoveTeamMember();
  const [userId, setUserId] = useState<number | undefined>();
  const [teamRole, setTeamRole] = useState<TeamRole | undefined>();
  const held = new Set(opportunity.team.map((m) => m.teamRole));
  const suggested = (opportunity.suggestedRoles ?? stage?.roles ?? []).filter((r) => !held.has(r as TeamRole));
  const canEdit = opportunity.permissions.edit && opportunity.status === 'open';
  const canRemove = (match: OpportunityDetail['team'][number]) =>
    match.teamRole !== 'sales_lead' &&
    opportunity.status === 'open' &&
    (canEdit || (opportunity.permissions.contribute && match.userId === me.user.id));
  const removeMember = (match: OpportunityDetail['team'][number]) =>
    remove.mutateAsync({ id: opportunity.id, memberId: match.id }).then((after) => {
      if (after) {
        message.success(t('common.saved'));
        return;
      }
      // Left the team and with it the sight of the deal (docs/organisation.md).
      message.success(t('opps.team.left', { name: opportunity.name }));
      void navigate('/opportunities');
    }, report);
  return (
    <>
      {suggested.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="suggested-roles"
          message={t('opps.team.suggested', { stage: stage?.name ?? '' })}
          description={
            <Space wrap>
              {suggested.map((suggestedRole) => (
                <Tag
                  key={suggestedRole}
                  color="orange"
                  style={{ cursor: canEdit ? 'pointer' : undefined }}
                  onClick={() => canEdit && setTeamRole(suggestedRole as TeamRole)}
                >
                  {t(`opps.teamRole.${suggestedRole}` as 'opps.teamRole.sales_lead')}
                </Tag>
              ))}
            </Space>
          }
        />
      )}
      <List
        dataSource={opportunity.team}
        locale={{ emptyText: t('opps.team.empty') }}
        renderItem={(member) => (
          <List.Item
            actions={
              canRemove(member)
                ? [
                    <Popconfirm
                      key="rm"
                      title={
                        member.userId === me.user.id
                          ? t('opps.team.leaveConfirm')
                          : t('opps.team.removeConfirm', { name: member.userName })
                      }
                      okText={member.userId === me.user.id ? t('opps.team.leave') : t('opps.team.remove')}
                      cancelText={t('common.cancel')}
                      okButtonProps={{ danger: true }}
                      onConfirm={() => removeMember(member)}
                    >
                      <Button
                        size="small"
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={member.userId === me.user.id ? t('opps.team.leave') : t('opps.team.remove')}
                        data-testid={`team-remove-${member.userId}`}
                      />
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              avatar={<Avatar style={{ background: '#6366f1' }}>{member.userName.slice(-2)}</Avatar>}
              title={member.userName}
              description={<Tag>{t(`opps.teamRole.${member.teamRole}`)}</Tag>}
            />
          </List.Item>
        )}
      />
      {canEdit && (
        <Flex gap={8} wrap style={{ marginTop: 12 }}>
          <Select
            showSearch
            optionFilterProp="label"
            style={{ width: 200 }}
            placeholder={t('opps.team.person')}
            value={userId}
            onChange={setUserId}
            loading={people.isPending}
            options={(people.data ?? []).map((u) => ({ value: u.id, label: `${u.name} · ${t(`role.${u.role}`)}` }))}
          />
          <Select
            style={{ width: 160 }}
            placeholder={t('opps.team.role')}
            value={teamRole}
            onChange={setTeamRole}
            options={TEAM_ROLES.map((r) => ({ value: r, label: t(`opps.teamRole.${r}`) }))}
          />
          <Button
            icon={<PlusOutlined />}
            disabled={!userId || !teamRole}
            loading={add.isPending}
            onClick={() =>
              userId &&
              teamRole &&
              add.mutateAsync({ id: opportunity.id, userId, teamRole }).then(() => {
                setUserId(undefined);
                setTeamRole(undefined);
                message.success(t('common.saved'));
              }, report)
            }
          >
            {t('opps.team.add')}
          </Button>
        </Flex>
      )}
    </>
  );
}

/** Who in the customer plays which buying role in this opportunity (docs/archive.md § Buying roles), read from the account area. */
export function BuyingRolesTab({ o: opportunity }: { o: OpportunityDetail }) {
  const t = useT();
  const roles = useBuyingRoles(opportunity.accountId, opportunity.id);
  if (roles.isError) return <LoadError error={roles.error} onRetry={() => void roles.refetch()} />;
  return (
    <>
      <Typography.Paragraph type="secondary">
        {t('opps.roles.hint')}{' '}
        <Link to={`/accounts/${opportunity.accountId}?tab=roles`}>{t('opps.roles.openAccount')}</Link>
      </Typography.Paragraph>
      <Table
        rowKey="id"
        size="small"
        loading={roles.isPending}
        dataSource={roles.data}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('opps.roles.empty')} /> }}
        columns={[
          {
            title: t('opps.roles.contact'),
            dataIndex: 'contactName',
            render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
          },
          {
            title: t('opps.roles.role'),
            dataIndex: 'role',
            render: (row: string) => (
              <Tag color="geekblue">{t(`accounts.role.${row}` as 'accounts.role.decision_maker')}</Tag>
            ),
          },
          {
            title: t('opps.roles.scope'),
            key: 'scope',
            render: (_, record) =>
              record.opportunityId ? (
                <Tag color="blue">{t('opps.roles.thisOpp')}</Tag>
              ) : (
                <Tag>{t('opps.roles.account')}</Tag>
              ),
          },
          { title: t('opps.roles.attitude'), key: 'attitude', render: (_, r) => <AttitudeTag attitude={r.attitude} /> },
          {
            title: t('opps.roles.influence'),
            key: 'influence',
            render: (_, r) => <InfluenceTag influence={r.influence} />,
          },
          { title: t('opps.roles.degree'), key: 'degree', render: (_, r) => <DegreeBar degree={r.relationship} /> },
          {
            title: t('opps.roles.holder'),
            key: 'holder',
            render: (_, r) => r.holderName ?? <Typography.Text type="warning">—</Typography.Text>,
          },
        ]}
      />
    </>
  );
}

/** Pipeline review (盘问, docs/sales-process.md): the four questions, recorded as an entry. */
export function ReviewsTab({ o: opportunity, stage }: { o: OpportunityDetail; stage: Stage | undefined }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const reviews = useReviews(opportunity.id);
  const dates = useDates();
  const when = useWhen();
  const add = useAddReview();
  const [form] = Form.useForm<{
    completedStep: string;
    evidence?: string;
    nextAction: string;
    jointPlan?: string;
    nextActionDate?: Dayjs | null;
    rootCause?: RootCause | null;
  }>();
  // The step just completed defaults to the current stage, also when the process loads after the form.
  useEffect(() => {
    if (stage && !form.isFieldTouched('completedStep') && !form.getFieldValue('completedStep'))
      form.setFieldValue('completedStep', stage.name);
  }, [stage, form]);
  if (reviews.isError) return <LoadError error={reviews.error} onRetry={() => void reviews.refetch()} />;
  const questions = ['completedStep', 'evidence', 'nextAction', 'jointPlan'] as const;
  return (
    <Flex vertical gap={16}>
      {/* The owner answers, a manager over the deal asks: the rest of the team reads the reviews. */}
      {opportunity.permissions.edit && (
        <Card size="small" title={t('opps.review.new')} style={{ background: '#fafafa' }}>
          <Form
            form={form}
            layout="vertical"
            initialValues={{ completedStep: stage?.name ?? '' }}
            onFinish={(values) =>
              void add
                .mutateAsync({
                  id: opportunity.id,
                  completedStep: values.completedStep,
                  nextAction: values.nextAction,
                  evidence: values.evidence?.trim() || null,
                  jointPlan: values.jointPlan?.trim() || null,
                  nextActionDate: dates.pickedDay(values.nextActionDate),
                  rootCause: values.rootCause ?? null,
                })
                .then(
                  () => {
                    form.resetFields();
                    message.success(t(values.nextActionDate ? 'opps.review.savedPlanned' : 'opps.review.saved'));
                  },
                  (e: unknown) => report(e, form),
                )
            }
          >
            {questions.map((question, index) => (
              <Form.Item
                key={question}
                name={question}
                label={`${index + 1}. ${t(`opps.review.q.${question}`)}`}
                rules={[
                  {
                    required: question === 'completedStep' || question === 'nextAction',
                    message: t('validation.required'),
                  },
                ]}
                style={{ marginBottom: 10 }}
              >
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
              </Form.Item>
            ))}
            <Flex gap={12} wrap>
              <Form.Item
                name="nextActionDate"
                label={t('opps.review.nextActionDate')}
                tooltip={t('opps.review.nextActionDateHint')}
                style={{ marginBottom: 10 }}
              >
                <DatePicker />
              </Form.Item>
              {/* What the reviewer sees behind a problem (docs/sales-process.md): for the weekly review of the rep's pipeline. */}
              <Form.Item
                name="rootCause"
                label={t('opps.review.rootCause')}
                style={{ marginBottom: 10, minWidth: 220 }}
              >
                <Select
                  allowClear
                  placeholder={t('opps.review.rootCauseNone')}
                  options={ROOT_CAUSES.map((c) => ({ value: c, label: t(`opps.rootCause.${c}`) }))}
                />
              </Form.Item>
            </Flex>
            <Button type="primary" htmlType="submit" loading={add.isPending}>
              {t('opps.review.save')}
            </Button>
          </Form>
        </Card>
      )}
      <List
        loading={reviews.isPending}
        dataSource={reviews.data ?? []}
        locale={{ emptyText: t('opps.review.empty') }}
        renderItem={(review) => (
          <List.Item>
            <div style={{ width: '100%' }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {when(review.createdAt)} · {review.reviewerName ?? ''}
              </Typography.Text>
              {questions.map((question) => (
                <div key={question}>
                  <Typography.Text type="secondary">{t(`opps.review.q.${question}`)} </Typography.Text>
                  {review[question] ?? '—'}
                  {question === 'nextAction' && review.nextActionDate && (
                    <Tag style={{ marginInlineStart: 6 }}>{review.nextActionDate}</Tag>
                  )}
                </div>
              ))}
              {review.rootCause && (
                <Tag color="volcano" style={{ marginTop: 4 }}>
                  {t('opps.review.rootCause')}
                  {t('common.colon')}
                  {t(`opps.rootCause.${review.rootCause}`)}
                </Tag>
              )}
            </div>
          </List.Item>
        )}
      />
    </Flex>
  );
}

/** The stage history (docs/sales-process.md § The opportunity): entered, left, by whom, with the evidence or reason given on leaving. */
export function StageHistoryTab({ o: opportunity, process }: { o: OpportunityDetail; process: Process | undefined }) {
  const t = useT();
  const words = useHistoryText();
  const history = useStageHistory(opportunity.id);
  const when = useWhen();
  if (history.isError) return <LoadError error={history.error} onRetry={() => void history.refetch()} />;
  const label = (stageId: number, key: string) =>
    process?.stages.find((s) => s.id === stageId)?.evidence.find((e) => e.key === key)?.label ?? key;
  const items = [...(history.data ?? [])].reverse();
  if (!history.isPending && items.length === 0) return <Empty description={t('opps.stages.empty')} />;
  return (
    <Timeline
      style={{ marginTop: 12 }}
      data-testid="stage-history"
      items={items.map((entry) => ({
        color: entry.leftAt === null ? 'blue' : entry.exitDirection === 'back' ? 'orange' : 'green',
        children: (
          <div data-testid="stage-history-entry">
            <Flex gap={8} align="center" wrap>
              <Typography.Text strong>{entry.stageName}</Typography.Text>
              <Tag>{entry.probability}%</Tag>
              {entry.leftAt === null ? (
                <Tag color="blue">{t('opps.stages.current')}</Tag>
              ) : entry.exitDirection === 'back' ? (
                <Tag color="orange" icon={<ArrowLeftOutlined />}>
                  {t('opps.stages.back')}
                </Tag>
              ) : entry.exitDirection === 'forward' ? (
                <Tag color="green" icon={<ArrowRightOutlined />}>
                  {t('opps.stages.forward')}
                </Tag>
              ) : entry.exitDirection === 'closed' ? (
                <Tag>{t('opps.stages.closed')}</Tag>
              ) : null}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('opps.path.days', { days: Math.round(entry.daysInStage * 10) / 10 })}
              </Typography.Text>
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('opps.stages.entered', { at: when(entry.enteredAt), by: entry.enteredByName ?? '—' })}
              {entry.leftAt !== null &&
                ` · ${t('opps.stages.left', { at: when(entry.leftAt), by: entry.leftByName ?? '—' })}`}
            </Typography.Text>
            {entry.exitEvidence.length > 0 && (
              <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }} data-testid="stage-evidence">
                {entry.exitEvidence.map((evidence) => (
                  <li key={`${evidence.stageId}:${evidence.key}`}>
                    {/* A skipped stage's evidence, given when leaving this one: say whose it is. */}
                    {evidence.stageId !== entry.stageId && (
                      <Tag style={{ marginInlineEnd: 4 }}>
                        {process?.stages.find((s) => s.id === evidence.stageId)?.name ?? evidence.stageId}
                      </Tag>
                    )}
                    {label(evidence.stageId, evidence.key)}
                    {evidence.note ? <Typography.Text type="secondary"> — {evidence.note}</Typography.Text> : null}
                    {evidence.attachmentId ? (
                      <a href={`/api/v1/attachments/${evidence.attachmentId}`} style={{ marginInlineStart: 6 }}>
                        <PaperClipOutlined /> {t('opps.stages.file')}
                      </a>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
            {entry.exitReason && (
              <div>
                <Typography.Text type="secondary">
                  {t('opps.stages.reason')}
                  {t('common.colon')}
                </Typography.Text>
                {words.reason(entry.exitDirection === 'closed' ? 'status' : 'stage', entry.exitReason)}
              </div>
            )}
            {entry.exitOverridden.length > 0 && (
              <Typography.Text type="warning">
                <WarningOutlined />{' '}
                {t('opps.stages.overridden', {
                  items: (entry.exitOverridden as { stageId: number; key: string }[])
                    .map((m) => label(m.stageId, m.key))
                    .join('、'),
                })}
              </Typography.Text>
            )}
          </div>
        ),
      }))}
    />
  );
}

/** Every change to the opportunity, from the audit trail (docs/sales-process.md: every move is in it). */
export function AuditTab({ o: opportunity }: { o: OpportunityDetail }) {
  const t = useT();
  const trail = useAuditTrail(opportunity.id);
  const when = useWhen();
  const words = useHistoryText();
  if (trail.isError) return <LoadError error={trail.error} onRetry={() => void trail.refetch()} />;
  return (
    <Table<HistoryItem>
      rowKey={(r) => `${r.createdAt}-${r.field}-${r.newValue ?? ''}`}
      size="small"
      loading={trail.isPending}
      dataSource={trail.data ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: t('opps.audit.empty') }}
      columns={[
        { title: t('opps.audit.at'), key: 'at', width: 150, render: (_, r) => when(r.createdAt) },
        { title: t('opps.audit.who'), key: 'who', width: 100, render: (_, r) => r.actorName ?? '—' },
        { title: t('opps.audit.what'), key: 'what', width: 110, render: (_, r) => <Tag>{words.field(r.field)}</Tag> },
        {
          title: t('opps.audit.change'),
          key: 'change',
          render: (_, record) => (
            <span>
              {words.value(record.field, record.oldValue, record.oldLabel)} →{' '}
              <Typography.Text strong>{words.value(record.field, record.newValue, record.newLabel)}</Typography.Text>
            </span>
          ),
        },
        {
          title: t('opps.audit.reason'),
          dataIndex: 'reason',
          render: (v: string | null, r) => words.reason(r.field, v) ?? '',
        },
      ]}
    />
  );
}
