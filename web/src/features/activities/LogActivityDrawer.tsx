import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Drawer,
  Flex,
  Form,
  Grid,
  Input,
  Radio,
  Segmented,
  Select,
  Upload,
} from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useDates } from '../../i18n/useDates.ts';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { ACTIVITY_TYPES, type ActivityStatus, type ActivityType } from '../../../../src/domain/activities.ts';
import type { ActivityDetail } from '../../../../src/contracts/activities.ts';
import { useContacts } from '../accounts/api.ts';
import { uploadAttachment } from '../opportunities/api.ts';
import { useAttach, useLogActivity, useUpdateActivity } from './api.ts';
import { VisitPlanView } from './VisitPlanView.tsx';

interface Values {
  accountId?: number;
  type: ActivityType;
  status: ActivityStatus;
  startAt: Dayjs;
  minutes?: number;
  subject?: string;
  contactIds?: number[];
  opportunityId?: number | null;
  notes?: string;
  outcome?: string;
  location?: string;
}

const DURATIONS = [15, 30, 60, 90, 120, 180];

/** Accounts to log against, searched by name (for the desk, where no account is open). */
function AccountPicker({ value, onChange }: { value?: number; onChange?: (pickedId: number) => void }) {
  const t = useT();
  const [searchText, setQ] = useState('');
  const found = useQuery({
    queryKey: ['accounts', 'picker', searchText],
    queryFn: ({ signal }) =>
      api.get<Page<{ id: number; name: string }>>(
        '/accounts',
        { q: searchText || undefined, limit: 20, sort: '-updatedAt' },
        { signal },
      ),
  });
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={onChange}
      loading={found.isFetching}
      placeholder={t('activities.field.accountPick')}
      options={(found.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))}
      data-testid="activity-account"
    />
  );
}

/**
 * Log (or plan, or change) an activity in a drawer that is valid as it opens: a visit, now,
 * on the account (and deal) it was opened from — so logging takes two taps on a phone.
 */
export function LogActivityDrawer({
  accountId,
  opportunityId,
  activity,
  onClose,
}: {
  accountId?: number;
  opportunityId?: number;
  activity?: ActivityDetail;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const log = useLogActivity();
  const update = useUpdateActivity();
  const attach = useAttach();
  const dates = useDates();
  const [files, setFiles] = useState<File[]>([]);
  const chosenAccount = Form.useWatch('accountId', form) ?? activity?.accountId ?? accountId;
  const contacts = useContacts(chosenAccount ?? 0);
  const deals = useQuery({
    queryKey: ['opportunities', 'picker', chosenAccount],
    enabled: chosenAccount !== undefined,
    queryFn: ({ signal }) =>
      api.get<Page<{ id: number; name: string; status: string }>>(
        '/opportunities',
        { accountId: chosenAccount, limit: 100 },
        { signal },
      ),
  });
  const pending = log.isPending || update.isPending || attach.isPending;

  const initial: Partial<Values> = activity
    ? {
        type: activity.type,
        status: activity.status,
        startAt: dates.pickerTime(activity.startAt),
        subject: activity.subject ?? undefined,
        contactIds: activity.contacts.map((c) => c.id),
        opportunityId: activity.opportunityId,
        notes: activity.notes ?? undefined,
        outcome: activity.outcome ?? undefined,
        location: activity.location ?? undefined,
        minutes: activity.endAt ? Math.round((activity.endAt - activity.startAt) / 60_000) : undefined,
      }
    : {
        type: 'visit',
        status: 'done',
        startAt: dates.pickerTime(Date.now()),
        accountId,
        opportunityId: opportunityId ?? null,
        contactIds: [],
      };

  async function save(values: Values) {
    const startAt = dates.pickedTime(values.startAt);
    const body = {
      type: values.type,
      status: values.status,
      startAt,
      endAt: values.minutes ? startAt + values.minutes * 60_000 : null,
      subject: values.subject || null,
      contactIds: values.contactIds ?? [],
      opportunityId: values.opportunityId ?? null,
      notes: values.notes || null,
      outcome: values.outcome || null,
      location: values.location || null,
    };
    try {
      let saved = activity
        ? await update.mutateAsync({
            id: activity.id,
            version: activity.version,
            ...body,
            ...(activity.status === 'done' ? { status: undefined } : {}),
          })
        : await log.mutateAsync({ accountId: (values.accountId ?? accountId)!, ...body });
      for (const file of files) {
        const up = await uploadAttachment(file);
        saved = await attach.mutateAsync({ id: saved.id, version: saved.version, attachmentId: up.id });
      }
      message.success(
        t(activity ? 'common.saved' : values.status === 'planned' ? 'activities.planned' : 'activities.logged'),
      );
      onClose();
    } catch (error) {
      report(error, form);
    }
  }

  return (
    <Drawer
      open
      onClose={onClose}
      title={t(activity ? 'activities.edit' : 'activities.log')}
      size={screens.md ? 520 : '100%'}
      destroyOnHidden
      extra={
        <Button type="primary" loading={pending} onClick={() => form.submit()} data-testid="activity-save">
          {t('common.save')}
        </Button>
      }
    >
      {activity?.callback && (
        // docs/rhythm.md § Callback audit: what the customer said when the auditor called about this visit.
        <Alert
          type={
            activity.callback.outcome === 'not_confirmed'
              ? 'error'
              : activity.callback.outcome === 'confirmed'
                ? 'success'
                : 'info'
          }
          showIcon
          message={t('activities.callback.title', { outcome: t(`callbacks.outcome.${activity.callback.outcome}`) })}
          description={activity.callback.feedback ?? undefined}
          style={{ marginBottom: 16 }}
          data-testid="activity-callback"
        />
      )}
      {activity?.type === 'visit' && <VisitPlanView activity={activity} />}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => void save(v)}
        requiredMark={false}
      >
        {!activity && accountId === undefined && (
          <Form.Item
            name="accountId"
            label={t('activities.field.account')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <AccountPicker />
          </Form.Item>
        )}
        <Form.Item name="type" label={t('activities.field.type')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={ACTIVITY_TYPES.map((x) => ({ value: x, label: t(`activities.type.${x}`) }))}
            style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}
            data-testid="activity-type"
          />
        </Form.Item>
        {(!activity || activity.status !== 'done') && (
          <Form.Item name="status" label={t('activities.field.status')}>
            <Segmented
              options={(activity ? (['planned', 'done', 'cancelled'] as const) : (['done', 'planned'] as const)).map(
                (x) => ({ value: x, label: t(`activities.status.${x}`) }),
              )}
              data-testid="activity-status"
            />
          </Form.Item>
        )}
        <Flex gap={12} wrap>
          <Form.Item
            name="startAt"
            label={t('activities.field.startAt')}
            style={{ flex: '1 1 200px' }}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              allowClear={false}
              style={{ width: '100%' }}
              inputReadOnly
              data-testid="activity-start"
            />
          </Form.Item>
          <Form.Item name="minutes" label={t('activities.field.duration')} style={{ flex: '1 1 120px' }}>
            <Select
              allowClear
              options={DURATIONS.map((m) => ({ value: m, label: t('activities.minutes', { n: m }) }))}
            />
          </Form.Item>
        </Flex>
        <Form.Item name="contactIds" label={t('activities.field.contacts')}>
          <Select
            mode="multiple"
            allowClear
            loading={contacts.isPending && chosenAccount !== undefined}
            placeholder={t('activities.field.contactsHint')}
            options={(contacts.data?.items ?? []).map((contact) => ({
              value: contact.id,
              label: contact.title ? `${contact.name} · ${contact.title}` : contact.name,
            }))}
            data-testid="activity-contacts"
          />
        </Form.Item>
        <Form.Item name="opportunityId" label={t('activities.field.opportunity')}>
          <Select
            allowClear
            placeholder={t('activities.field.opportunityHint')}
            options={(deals.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
          />
        </Form.Item>
        <Form.Item name="subject" label={t('activities.field.subject')}>
          <Input maxLength={200} placeholder={t('activities.field.subjectHint')} data-testid="activity-subject" />
        </Form.Item>
        <Form.Item name="notes" label={t('activities.field.notes')}>
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
        <Form.Item name="outcome" label={t('activities.field.outcome')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="location" label={t('activities.field.location')}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item label={t('activities.field.files')}>
          <Upload
            multiple
            beforeUpload={(file) => {
              setFiles((xs) => [...xs, file]);
              return false;
            }}
            onRemove={(f) => setFiles((xs) => xs.filter((x) => x.name !== f.name))}
          >
            <Button icon={<PaperClipOutlined />}>{t('activities.field.addFile')}</Button>
          </Upload>
          {activity?.attachments.map((attachment) => (
            <div key={attachment.id}>
              <a href={`/api/v1/attachments/${attachment.id}`}>
                <PaperClipOutlined /> {attachment.fileName}
              </a>
            </div>
          ))}
        </Form.Item>
      </Form>
    </Drawer>
  );
}
