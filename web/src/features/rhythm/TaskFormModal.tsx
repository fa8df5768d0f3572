import { App, DatePicker, Form, Input, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useDates } from '../../i18n/useDates.ts';
import { useSession } from '../auth/session.ts';
import { usePeople } from '../accounts/api.ts';
import type { TaskDto } from '../../../../src/contracts/tasks.ts';
import { useCreateTask, useReassignTask, useUpdateTask } from './api.ts';

interface Values {
  title: string;
  dueDate: Dayjs;
  notes?: string;
  assigneeId?: number;
}

/**
 * New task, or a change to one (docs/rhythm.md § Tasks). The assignee list is the people the
 * caller sees — the same reach the server checks; links to an account or deal come from where
 * the task is created (`link`).
 */
export function TaskFormModal({
  task,
  link,
  onClose,
}: {
  task?: TaskDto;
  link?: { accountId?: number; opportunityId?: number };
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const { user } = useSession();
  const dates = useDates();
  const people = usePeople();
  const create = useCreateTask();
  const update = useUpdateTask();
  const reassign = useReassignTask();
  const [form] = Form.useForm<Values>();
  const options = (people.data ?? [])
    .filter((u) => u.role !== 'finance')
    .map((userValue) => ({
      value: userValue.id,
      label:
        userValue.id === user.id
          ? t('tasks.me', { name: userValue.name })
          : `${userValue.name} · ${userValue.orgUnitLabel}`,
    }));
  const pending = create.isPending || update.isPending || reassign.isPending;

  async function save(values: Values) {
    const dueDate = dates.pickedDay(values.dueDate);
    try {
      if (!task) {
        await create.mutateAsync({
          title: values.title,
          dueDate,
          notes: values.notes || null,
          assigneeId: values.assigneeId,
          ...link,
        });
      } else {
        let cur = await update.mutateAsync({
          id: task.id,
          version: task.version,
          title: values.title,
          dueDate,
          notes: values.notes || null,
        });
        if (values.assigneeId !== undefined && values.assigneeId !== cur.assignee.id)
          cur = await reassign.mutateAsync({ task: cur, assigneeId: values.assigneeId });
      }
      message.success(t(task ? 'tasks.saved' : 'tasks.created'));
      onClose();
    } catch (error) {
      report(error, form);
    }
  }

  return (
    <Modal
      open
      title={t(task ? 'tasks.edit' : 'tasks.new')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={pending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'task-save' } as Record<`data-${string}`, string>}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => void save(v)}
        initialValues={
          task
            ? {
                title: task.title,
                dueDate: dates.pickerDay(task.dueDate),
                notes: task.notes ?? undefined,
                assigneeId: task.assignee.id,
              }
            : { dueDate: dates.pickerDay(dates.today()), assigneeId: user.id }
        }
      >
        <Form.Item
          name="title"
          label={t('tasks.field.title')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input maxLength={200} data-testid="task-title" />
        </Form.Item>
        <Form.Item
          name="dueDate"
          label={t('tasks.field.dueDate')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <DatePicker style={{ width: '100%' }} allowClear={false} data-testid="task-due" />
        </Form.Item>
        {(!task || task.permissions.reassign) && (
          <Form.Item name="assigneeId" label={t('tasks.field.assignee')}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={people.isPending}
              options={options}
              data-testid="task-assignee"
            />
          </Form.Item>
        )}
        <Form.Item name="notes" label={t('tasks.field.notes')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
