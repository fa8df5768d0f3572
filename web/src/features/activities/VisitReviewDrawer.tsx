import { App, Button, DatePicker, Drawer, Flex, Form, Grid, Input, Radio, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useDates } from '../../i18n/useDates.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { ActivityDetail, ReviewResult } from '../../../../src/contracts/activities.ts';
import { usePeople } from '../accounts/api.ts';
import { useSaveReview } from './api.ts';

interface ReviewValues {
  review: {
    objectives: { result?: ReviewResult; note?: string }[];
    customerView?: string;
    improve?: string;
    nextSteps: { title?: string; dueDate?: Dayjs; assigneeId?: number }[];
  };
}

// The contract's REVIEW_RESULTS, typed against it (a value import would bundle zod into the page).
const RESULTS = ['achieved', 'partly', 'not'] as const satisfies readonly ReviewResult[];

const blank = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/**
 * The review after a planned visit (docs/rhythm.md § Visit plan and review): each objective of
 * the plan met, partly or not (then why), how the customer saw it, what to improve, and next
 * steps that the server turns into tasks in the same transaction. Field names follow the
 * request, so the server's refusals (a missing result, a note missing for a miss) land beside
 * their inputs.
 */
export function VisitReviewDrawer({ activity, onClose }: { activity: ActivityDetail; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const screens = Grid.useBreakpoint();
  const people = usePeople();
  const [form] = Form.useForm<ReviewValues>();
  const saveReview = useSaveReview();
  const dates = useDates();
  const objectives = activity.plan?.objectives ?? [];

  async function save(values: ReviewValues) {
    const steps = values.review.nextSteps.filter((s) => blank(s.title) || s.dueDate);
    try {
      await saveReview.mutateAsync({
        id: activity.id,
        version: activity.version,
        review: {
          objectives: values.review.objectives.map((row) => ({
            result: row.result as ReviewResult,
            note: blank(row.note) ?? null,
          })),
          customerView: blank(values.review.customerView) ?? null,
          improve: blank(values.review.improve) ?? null,
          nextSteps: steps.map((step) => ({
            title: blank(step.title) as string,
            dueDate: dates.pickedDay(step.dueDate) as string,
            ...(step.assigneeId ? { assigneeId: step.assigneeId } : {}),
          })),
        },
      });
      message.success(steps.length ? t('visits.reviewSavedTasks', { n: steps.length }) : t('visits.reviewSaved'));
      onClose();
    } catch (error) {
      report(error, form);
    }
  }

  return (
    <Drawer
      open
      onClose={onClose}
      title={`${t('visits.review')} · ${activity.accountName}`}
      size={screens.md ? 600 : '100%'}
      destroyOnHidden
      extra={
        <Button type="primary" loading={saveReview.isPending} onClick={() => form.submit()} data-testid="review-save">
          {t('common.save')}
        </Button>
      }
    >
      <Form<ReviewValues>
        form={form}
        layout="vertical"
        initialValues={{ review: { objectives: objectives.map(() => ({})), nextSteps: [] } }}
        onFinish={(v) => void save(v)}
        data-testid="review-form"
      >
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('visits.objectives')}
        </Typography.Title>
        {objectives.map((objective, index) => (
          <div
            key={index}
            style={{ borderLeft: '3px solid #e5e7eb', paddingLeft: 10, marginBottom: 12 }}
            data-testid={`review-objective-${index}`}
          >
            <Typography.Paragraph strong style={{ marginBottom: 6 }}>
              {index + 1}. {objective.text}
            </Typography.Paragraph>
            <Form.Item name={['review', 'objectives', index, 'result']} style={{ marginBottom: 6 }}>
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                options={RESULTS.map((result) => ({ value: result, label: t(`visits.result.${result}`) }))}
              />
            </Form.Item>
            <Form.Item name={['review', 'objectives', index, 'note']} style={{ marginBottom: 0 }}>
              <Input.TextArea
                autoSize={{ minRows: 1, maxRows: 4 }}
                maxLength={1000}
                placeholder={t('visits.resultNote')}
              />
            </Form.Item>
          </div>
        ))}
        <Form.Item name={['review', 'customerView']} label={t('visits.customerView')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
        <Form.Item name={['review', 'improve']} label={t('visits.improve')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
        <Form.Item label={t('visits.nextSteps')}>
          <Form.List name={['review', 'nextSteps']}>
            {(fields, ops, { errors }) => (
              <>
                {fields.map((field) => (
                  <Flex key={field.key} gap={8} align="start" data-testid={`review-step-${field.name}`}>
                    <Flex gap={8} wrap style={{ flex: 1, minWidth: 0 }}>
                      <Form.Item name={[field.name, 'title']} style={{ flex: '2 1 200px', marginBottom: 8 }}>
                        <Input maxLength={300} placeholder={t('visits.nextStep')} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'dueDate']} style={{ flex: '1 1 130px', marginBottom: 8 }}>
                        <DatePicker
                          placeholder={t('visits.dueDate')}
                          inputReadOnly
                          style={{ width: '100%' }}
                          disabledDate={(d) => dates.pickedDay(d) < dates.today()}
                        />
                      </Form.Item>
                      <Form.Item name={[field.name, 'assigneeId']} style={{ flex: '1 1 130px', marginBottom: 8 }}>
                        <Select
                          allowClear
                          showSearch={{ optionFilterProp: 'label' }}
                          placeholder={t('visits.assignee')}
                          options={(people.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
                        />
                      </Form.Item>
                    </Flex>
                    <Button type="text" icon={<DeleteOutlined />} onClick={() => ops.remove(field.name)} />
                  </Flex>
                ))}
                <Form.ErrorList errors={errors} />
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => ops.add({ dueDate: dates.pickerDay(dates.fromToday(3)) })}
                  data-testid="review-add-step"
                  block
                >
                  {t('visits.addNextStep')}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
