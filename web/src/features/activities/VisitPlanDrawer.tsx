import { useEffect } from 'react';
import { App, Button, DatePicker, Divider, Drawer, Flex, Form, Grid, Input, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useDates } from '../../i18n/useDates.ts';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { ActivityDetail, VisitPlanInput } from '../../../../src/contracts/activities.ts';
import { useContacts } from '../accounts/api.ts';
import { useLastReview, useLogActivity, useSavePlan } from './api.ts';

const SPIN = ['situation', 'problem', 'implication', 'needPayoff'] as const;
type Spin = (typeof SPIN)[number];

/** The plan as typed: SPIN questions one per line; lists of rows. Named like the request so field errors land. */
interface PlanValues {
  startAt?: Dayjs;
  contactIds?: number[];
  opportunityId?: number | null;
  subject?: string;
  plan: {
    objectives: { text?: string }[];
    bestTime?: string;
    objections: { objection?: string; answer?: string }[];
    materials?: string;
    openIssues?: string;
    spin: Partial<Record<Spin, string>>;
    fab: { feature?: string; advantage?: string; benefit?: string }[];
  };
}

/** What the last review left open: objectives not fully achieved (with why) and the next steps agreed. */
function openIssuesOf(visit: ActivityDetail, translate: ReturnType<typeof useT>): string | null {
  if (!visit.plan || !visit.review) return null;
  const lines = visit.review.objectives.flatMap((result, index) =>
    result.result === 'achieved'
      ? []
      : [
          translate('visits.lastReviewIssue', {
            objective: visit.plan!.objectives[index]?.text ?? '',
            note: result.note ?? '',
          }),
        ],
  );
  for (const step of visit.review.nextSteps) lines.push(`→ ${step.title} (${step.dueDate})`);
  return lines.length ? lines.join('\n') : null;
}

const blank = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/**
 * What the server receives. Rows are sent as typed (an empty benefit is left out, so the server
 * names `plan.fab.<i>.benefit` as required beside its input); only wholly empty rows are dropped
 * at the end of a list, which keeps every other row's index — and so its field error — in place.
 */
function toPlan(values: PlanValues['plan']): VisitPlanInput {
  const trimEnd = <T extends object>(rows: T[]) => {
    const kept = [...rows];
    while (kept.length && Object.values(kept.at(-1)!).every((v) => !blank(v as string | undefined))) kept.pop();
    return kept;
  };
  return {
    objectives: trimEnd(values.objectives ?? []).map((o) => ({ text: blank(o.text) as string })),
    bestTime: blank(values.bestTime) ?? null,
    objections: trimEnd(values.objections ?? []).map((row) => ({
      objection: blank(row.objection) as string,
      answer: blank(row.answer) ?? null,
    })),
    materials: blank(values.materials) ?? null,
    openIssues: blank(values.openIssues) ?? null,
    spin: Object.fromEntries(
      SPIN.map((kind) => [
        kind,
        (values.spin?.[kind] ?? '')
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
      ]),
    ) as Record<Spin, string[]>,
    fab: trimEnd(values.fab ?? []).map((point) => ({
      feature: blank(point.feature) ?? null,
      advantage: blank(point.advantage) ?? null,
      benefit: blank(point.benefit) as string,
    })),
  };
}

const fromPlan = (plan: NonNullable<ActivityDetail['plan']>): PlanValues['plan'] => ({
  objectives: plan.objectives,
  bestTime: plan.bestTime ?? undefined,
  objections: plan.objections.map((o) => ({ objection: o.objection, answer: o.answer ?? undefined })),
  materials: plan.materials ?? undefined,
  openIssues: plan.openIssues ?? undefined,
  spin: Object.fromEntries(SPIN.map((kind) => [kind, plan.spin[kind].join('\n')])),
  fab: plan.fab.map((point) => ({
    feature: point.feature ?? undefined,
    advantage: point.advantage ?? undefined,
    benefit: point.benefit,
  })),
});

/** Rows of a plan's list with add and remove; the list's own error (none given) shows under it. */
function Rows({
  name,
  add,
  testId,
  children,
}: {
  name: (string | number)[];
  add: string;
  testId: string;
  children: (index: number) => React.ReactNode;
}) {
  return (
    <Form.List name={name}>
      {(fields, ops, { errors }) => (
        <>
          {fields.map((field) => (
            <Flex key={field.key} gap={8} align="start">
              <div style={{ flex: 1, minWidth: 0 }}>{children(field.name)}</div>
              <Button
                type="text"
                icon={<DeleteOutlined />}
                onClick={() => ops.remove(field.name)}
                aria-label="remove"
                disabled={fields.length === 1 && name.at(-1) !== 'objections'}
              />
            </Flex>
          ))}
          <Form.ErrorList errors={errors} />
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => ops.add({})} data-testid={testId} block>
            {add}
          </Button>
        </>
      )}
    </Form.List>
  );
}

/**
 * A visit plan (docs/rhythm.md § Visit plan and review): a new planned visit on an account (from
 * the account, the deal or the desk), or the plan of a visit already in the calendar. Issues left
 * open at the account's last reviewed visit are carried into "open issues".
 */
export function VisitPlanDrawer({
  accountId,
  opportunityId,
  activity,
  onClose,
}: {
  accountId: number;
  opportunityId?: number | undefined;
  activity?: ActivityDetail | undefined;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<PlanValues>();
  const create = useLogActivity();
  const savePlan = useSavePlan();
  const dates = useDates();
  const contacts = useContacts(activity ? 0 : accountId);
  const last = useLastReview(activity?.plan ? null : accountId);
  const carried = last.data ? openIssuesOf(last.data, t) : null;
  const deals = useQuery({
    queryKey: ['opportunities', 'picker', accountId],
    enabled: !activity,
    queryFn: ({ signal }) =>
      api.get<Page<{ id: number; name: string }>>('/opportunities', { accountId, limit: 100 }, { signal }),
  });

  // Carried over once it arrives, unless the rep has typed something already.
  useEffect(() => {
    if (carried && !form.getFieldValue(['plan', 'openIssues'])) form.setFieldValue(['plan', 'openIssues'], carried);
  }, [carried, form]);

  const initial: PlanValues = {
    startAt: dates.pickerAt(dates.fromToday(1), '10:00'),
    contactIds: [],
    opportunityId: opportunityId ?? null,
    plan: activity?.plan ? fromPlan(activity.plan) : { objectives: [{}], objections: [], spin: {}, fab: [{}] },
  };

  async function save(values: PlanValues) {
    const plan = toPlan(values.plan);
    try {
      if (activity) await savePlan.mutateAsync({ id: activity.id, version: activity.version, plan });
      else
        await create.mutateAsync({
          accountId,
          type: 'visit',
          status: 'planned',
          startAt: values.startAt ? dates.pickedTime(values.startAt) : Date.now(),
          contactIds: values.contactIds ?? [],
          opportunityId: values.opportunityId ?? null,
          subject: blank(values.subject) ?? null,
          plan,
        });
      message.success(t(activity ? 'visits.planSaved' : 'visits.planned'));
      onClose();
    } catch (error) {
      report(error, form);
    }
  }

  const area = (rows: number) => <Input.TextArea autoSize={{ minRows: rows, maxRows: 8 }} maxLength={2000} />;
  return (
    <Drawer
      open
      onClose={onClose}
      title={t(activity?.plan ? 'visits.editPlan' : 'visits.planTitle')}
      size={screens.md ? 600 : '100%'}
      destroyOnHidden
      extra={
        <Button
          type="primary"
          loading={create.isPending || savePlan.isPending}
          onClick={() => form.submit()}
          data-testid="plan-save"
        >
          {t('common.save')}
        </Button>
      }
    >
      <Form<PlanValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => void save(v)}
        data-testid="plan-form"
      >
        {!activity && (
          <>
            <Flex gap={12} wrap>
              <Form.Item name="startAt" label={t('visits.when')} style={{ flex: '1 1 200px' }}>
                <DatePicker
                  showTime={{ format: 'HH:mm' }}
                  format="YYYY-MM-DD HH:mm"
                  allowClear={false}
                  inputReadOnly
                  style={{ width: '100%' }}
                />
              </Form.Item>
              <Form.Item name="opportunityId" label={t('activities.field.opportunity')} style={{ flex: '1 1 200px' }}>
                <Select
                  allowClear
                  placeholder={t('activities.field.opportunityHint')}
                  options={(deals.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
                />
              </Form.Item>
            </Flex>
            <Form.Item name="contactIds" label={t('activities.field.contacts')}>
              <Select
                mode="multiple"
                allowClear
                placeholder={t('activities.field.contactsHint')}
                options={(contacts.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
              />
            </Form.Item>
            <Form.Item name="subject" label={t('activities.field.subject')}>
              <Input maxLength={200} placeholder={t('activities.field.subjectHint')} />
            </Form.Item>
            <Divider style={{ margin: '4px 0 16px' }} />
          </>
        )}
        <Form.Item label={t('visits.objectives')} extra={t('visits.objectivesHint')} required>
          <Rows name={['plan', 'objectives']} add={t('visits.addObjective')} testId="plan-add-objective">
            {(index) => (
              <Form.Item name={[index, 'text']} style={{ marginBottom: 8 }}>
                <Input
                  maxLength={500}
                  placeholder={t('visits.objective', { n: index + 1 })}
                  data-testid={`plan-objective-${index}`}
                />
              </Form.Item>
            )}
          </Rows>
        </Form.Item>
        <Form.Item label={t('visits.fab')} extra={t('visits.fabHint')} required>
          <Rows name={['plan', 'fab']} add={t('visits.addFab')} testId="plan-add-fab">
            {(index) => (
              <Flex vertical gap={0} style={{ borderLeft: '3px solid #e5e7eb', paddingLeft: 8, marginBottom: 8 }}>
                <Flex gap={8} wrap>
                  <Form.Item name={[index, 'feature']} style={{ flex: '1 1 160px', marginBottom: 6 }}>
                    <Input maxLength={500} placeholder={t('visits.feature')} />
                  </Form.Item>
                  <Form.Item name={[index, 'advantage']} style={{ flex: '1 1 160px', marginBottom: 6 }}>
                    <Input maxLength={500} placeholder={t('visits.advantage')} />
                  </Form.Item>
                </Flex>
                <Form.Item name={[index, 'benefit']} style={{ marginBottom: 6 }}>
                  <Input maxLength={500} placeholder={t('visits.benefit')} data-testid={`plan-benefit-${index}`} />
                </Form.Item>
              </Flex>
            )}
          </Rows>
        </Form.Item>
        <Form.Item name={['plan', 'bestTime']} label={t('visits.bestTime')}>
          <Input maxLength={200} placeholder={t('visits.bestTimeHint')} />
        </Form.Item>
        <Form.Item label={t('visits.objections')}>
          <Rows name={['plan', 'objections']} add={t('visits.addObjection')} testId="plan-add-objection">
            {(index) => (
              <Flex gap={8} wrap>
                <Form.Item name={[index, 'objection']} style={{ flex: '1 1 200px', marginBottom: 8 }}>
                  <Input maxLength={500} placeholder={t('visits.objection')} />
                </Form.Item>
                <Form.Item name={[index, 'answer']} style={{ flex: '1 1 200px', marginBottom: 8 }}>
                  <Input maxLength={1000} placeholder={t('visits.answer')} />
                </Form.Item>
              </Flex>
            )}
          </Rows>
        </Form.Item>
        <Form.Item name={['plan', 'materials']} label={t('visits.materials')}>
          {area(1)}
        </Form.Item>
        <Form.Item
          name={['plan', 'openIssues']}
          label={t('visits.openIssues')}
          extra={
            carried && last.data ? t('visits.openIssuesFrom', { date: dates.format(last.data.startAt) }) : undefined
          }
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={2000} data-testid="plan-open-issues" />
        </Form.Item>
        <Typography.Text strong>{t('visits.spin')}</Typography.Text>
        <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
          {t('visits.spinHint')}
        </Typography.Text>
        <Flex gap={12} wrap style={{ marginTop: 8 }}>
          {SPIN.map((kind) => (
            <Form.Item
              key={kind}
              name={['plan', 'spin', kind]}
              label={t(`visits.spin.${kind}`)}
              style={{ flex: '1 1 240px' }}
            >
              {area(2)}
            </Form.Item>
          ))}
        </Flex>
      </Form>
    </Drawer>
  );
}
