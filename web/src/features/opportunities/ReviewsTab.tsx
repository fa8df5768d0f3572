import { useEffect } from 'react';
import { App, Button, Card, DatePicker, Flex, Form, Input, List, Select, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useDates } from '../../i18n/useDates.ts';
import { useProblem } from '../../api/useProblem.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useAddReview, useReviews } from './api.ts';
import { ROOT_CAUSES, type OpportunityDetail, type RootCause, type Stage } from './types.ts';
import { useWhen } from './DetailTabs.tsx';

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
