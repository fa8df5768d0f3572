import { App, Button, Card, Flex, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useDates } from '../../i18n/useDates.ts';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { WeeklyReport } from '../../../../src/contracts/rhythm.ts';
import { useSaveWeeklyPlan, useSaveWeeklySummary } from './api.ts';

const blank = (value: string | undefined | null) => (value?.trim() ? value.trim() : null);

/** Draft or submitted, and when: what the manager's team list counts. */
export function SubmittedTag({ at, written }: { at: number | null; written: boolean }) {
  const t = useT();
  const dates = useDates();
  if (at) return <Tag color="green">{t('weekly.submitted', { at: dates.format(at, 'dateTime') })}</Tag>;
  return <Tag color={written ? 'gold' : 'red'}>{t(written ? 'weekly.draft' : 'weekly.notWritten')}</Tag>;
}

function Buttons({ pending, onSave }: { pending: boolean; onSave: (submit: boolean) => void }) {
  const t = useT();
  return (
    <Space>
      <Button onClick={() => onSave(false)} loading={pending} data-testid="weekly-draft">
        {t('weekly.saveDraft')}
      </Button>
      <Button type="primary" onClick={() => onSave(true)} loading={pending} data-testid="weekly-submit">
        {t('weekly.submit')}
      </Button>
    </Space>
  );
}

interface PlanValues {
  visits?: string;
  targets?: string;
  deals: { opportunityId?: number; note?: string }[];
}

/** My plan of a week: visits, targets, deals to advance; a draft or submitted. */
export function WeeklyPlanForm({ report }: { report: WeeklyReport }) {
  const t = useT();
  const { message } = App.useApp();
  const report401 = useProblem();
  const [form] = Form.useForm<PlanValues>();
  const save = useSaveWeeklyPlan();
  const deals = useQuery({
    queryKey: ['opportunities', 'picker', 'open'],
    queryFn: ({ signal }) =>
      api.get<Page<{ id: number; name: string; accountName: string }>>(
        '/opportunities',
        { status: 'open', limit: 100, sort: '-updatedAt' },
        { signal },
      ),
  });
  const options = [
    ...(deals.data?.items ?? []).map((o) => ({ value: o.id, label: `${o.name} · ${o.accountName}` })),
    ...report.plan.deals
      .filter((d) => !deals.data?.items.some((o) => o.id === d.opportunityId))
      .map((d) => ({ value: d.opportunityId, label: d.name })),
  ];
  const submit = (submitting: boolean) => {
    const values = form.getFieldsValue();
    save.mutate(
      {
        week: report.weekStart,
        version: report.version,
        visits: blank(values.visits),
        targets: blank(values.targets),
        deals: (values.deals ?? [])
          .filter((d) => d.opportunityId)
          .map((d) => ({ opportunityId: d.opportunityId!, note: blank(d.note) })),
        submit: submitting,
      },
      {
        onSuccess: () => message.success(t(submitting ? 'weekly.sent' : 'weekly.saved')),
        onError: (error) => report401(error, form),
      },
    );
  };
  return (
    <Form<PlanValues>
      key={report.version}
      form={form}
      layout="vertical"
      disabled={!report.permissions.edit}
      initialValues={{
        visits: report.plan.visits ?? undefined,
        targets: report.plan.targets ?? undefined,
        deals: report.plan.deals.map((d) => ({ opportunityId: d.opportunityId, note: d.note ?? undefined })),
      }}
      data-testid="weekly-plan-form"
    >
      <Form.Item name="visits" label={t('weekly.plan.visits')}>
        <Input.TextArea
          autoSize={{ minRows: 2, maxRows: 8 }}
          maxLength={4000}
          placeholder={t('weekly.plan.visitsHint')}
        />
      </Form.Item>
      <Form.Item name="targets" label={t('weekly.plan.targets')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={4000} data-testid="weekly-targets" />
      </Form.Item>
      <Form.Item label={t('weekly.plan.deals')}>
        <Form.List name="deals">
          {(fields, ops) => (
            <>
              {fields.map((field) => (
                <Flex key={field.key} gap={8} align="start">
                  <Flex gap={8} wrap style={{ flex: 1, minWidth: 0 }}>
                    <Form.Item name={[field.name, 'opportunityId']} style={{ flex: '1 1 200px', marginBottom: 8 }}>
                      <Select
                        showSearch={{ optionFilterProp: 'label' }}
                        placeholder={t('weekly.plan.deal')}
                        options={options}
                        loading={deals.isPending}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'note']} style={{ flex: '1 1 200px', marginBottom: 8 }}>
                      <Input maxLength={500} placeholder={t('weekly.plan.dealNote')} />
                    </Form.Item>
                  </Flex>
                  <Button type="text" icon={<DeleteOutlined />} onClick={() => ops.remove(field.name)} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => ops.add({})} block>
                {t('weekly.plan.addDeal')}
              </Button>
            </>
          )}
        </Form.List>
      </Form.Item>
      {report.permissions.edit && <Buttons pending={save.isPending} onSave={submit} />}
    </Form>
  );
}

interface SummaryValues {
  done?: string;
  progress?: string;
  problems: { problem?: string; solution?: string }[];
  help?: string;
}

/**
 * My summary of a week: done, progress, problems each with its proposed solution (the server
 * refuses one without, on `problems.<i>.solution`, and the sentence stands under it), help needed.
 */
export function WeeklySummaryForm({ report }: { report: WeeklyReport }) {
  const t = useT();
  const { message } = App.useApp();
  const reportProblem = useProblem();
  const [form] = Form.useForm<SummaryValues>();
  const save = useSaveWeeklySummary();
  const submit = (submitting: boolean) => {
    const values = form.getFieldsValue();
    save.mutate(
      {
        week: report.weekStart,
        version: report.version,
        done: blank(values.done),
        progress: blank(values.progress),
        // Sent as typed, so a problem's index — and its field error — stays where the rep sees it.
        problems: (values.problems ?? []).map((row) => ({
          problem: row.problem?.trim() ?? '',
          solution: blank(row.solution),
        })),
        help: blank(values.help),
        submit: submitting,
      },
      {
        onSuccess: () => message.success(t(submitting ? 'weekly.sent' : 'weekly.saved')),
        onError: (error) => reportProblem(error, form),
      },
    );
  };
  const area = (testId?: string) => (
    <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={4000} data-testid={testId} />
  );
  return (
    <Form<SummaryValues>
      key={report.version}
      form={form}
      layout="vertical"
      disabled={!report.permissions.edit}
      initialValues={{
        done: report.summary.done ?? undefined,
        progress: report.summary.progress ?? undefined,
        problems: report.summary.problems,
        help: report.summary.help ?? undefined,
      }}
      data-testid="weekly-summary-form"
    >
      <Form.Item name="done" label={t('weekly.summary.done')}>
        {area('weekly-done')}
      </Form.Item>
      <Form.Item name="progress" label={t('weekly.summary.progress')}>
        {area()}
      </Form.Item>
      <Form.Item label={t('weekly.summary.problems')} extra={t('weekly.summary.problemsHint')}>
        <Form.List name="problems">
          {(fields, ops) => (
            <>
              {fields.map((field) => (
                <Flex key={field.key} gap={8} align="start" data-testid={`weekly-problem-${field.name}`}>
                  <Flex vertical style={{ flex: 1, minWidth: 0, borderLeft: '3px solid #e5e7eb', paddingLeft: 8 }}>
                    <Form.Item name={[field.name, 'problem']} style={{ marginBottom: 6 }}>
                      <Input maxLength={1000} placeholder={t('weekly.summary.problem')} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'solution']} style={{ marginBottom: 8 }}>
                      <Input maxLength={1000} placeholder={t('weekly.summary.solution')} />
                    </Form.Item>
                  </Flex>
                  <Button type="text" icon={<DeleteOutlined />} onClick={() => ops.remove(field.name)} />
                </Flex>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => ops.add({})}
                block
                data-testid="weekly-add-problem"
              >
                {t('weekly.summary.addProblem')}
              </Button>
            </>
          )}
        </Form.List>
      </Form.Item>
      <Form.Item name="help" label={t('weekly.summary.help')}>
        {area()}
      </Form.Item>
      {report.permissions.edit && <Buttons pending={save.isPending} onSave={submit} />}
    </Form>
  );
}

/** A report's comments, and the box a manager over its author writes in. */
export function Comments({ report, onComment }: { report: WeeklyReport; onComment?: (body: string) => void }) {
  const t = useT();
  const dates = useDates();
  return (
    <Card size="small" title={t('weekly.comments')} style={{ marginTop: 12 }} data-testid="weekly-comments">
      {report.comments.length === 0 && <Typography.Text type="secondary">{t('weekly.noComments')}</Typography.Text>}
      {report.comments.map((comment) => (
        <div key={comment.id} style={{ marginBottom: 8 }}>
          <Typography.Text strong>{comment.author.name}</Typography.Text>{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {dates.format(comment.createdAt, 'dateTime')}
          </Typography.Text>
          <div style={{ whiteSpace: 'pre-line' }}>{comment.body}</div>
        </div>
      ))}
      {onComment && <CommentBox onComment={onComment} />}
    </Card>
  );
}

function CommentBox({ onComment }: { onComment: (body: string) => void }) {
  const t = useT();
  const [form] = Form.useForm<{ body?: string }>();
  return (
    <Form
      form={form}
      onFinish={(values) => {
        if (values.body?.trim()) onComment(values.body.trim());
        form.resetFields();
      }}
    >
      <Flex gap={8} align="start">
        <Form.Item name="body" style={{ flex: 1, marginBottom: 0 }}>
          <Input.TextArea
            autoSize={{ minRows: 1, maxRows: 6 }}
            maxLength={2000}
            placeholder={t('weekly.comment')}
            data-testid="weekly-comment"
          />
        </Form.Item>
        <Button htmlType="submit" type="primary" data-testid="weekly-comment-send">
          {t('weekly.commentSend')}
        </Button>
      </Flex>
    </Form>
  );
}
