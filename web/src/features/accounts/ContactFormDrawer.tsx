import { App, Button, DatePicker, Drawer, Flex, Form, Grid, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useDates } from '../../i18n/useDates.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useCreateContact, useUpdateContact } from './api.ts';
import { useProblem } from '../../api/useProblem.ts';
import type { Contact } from './types.ts';

interface Values {
  name: string;
  title?: string;
  department?: string;
  reportsToId?: number | null;
  phone?: string;
  mobile?: string;
  email?: string;
  wechat?: string;
  birthday?: Dayjs | null;
  notes?: string;
}

const blankToNull = (s: string | undefined) => (s?.trim() ? s.trim() : null);

/** Those a contact may report to: anyone of the account except themselves and the people under them. */
function possibleManagers(contact: Contact | undefined, all: Contact[]): Contact[] {
  if (!contact) return all;
  const below = new Set<number>([contact.id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const contact of all)
      if (contact.reportsToId !== null && below.has(contact.reportsToId) && !below.has(contact.id)) {
        below.add(contact.id);
        grew = true;
      }
  }
  return all.filter((c) => !below.has(c.id));
}

/** Create or edit a contact of an account (docs/archive.md § Buying roles), with the reports-to line for the org chart. */
export function ContactFormDrawer({
  accountId,
  contact,
  contacts,
  onClose,
}: {
  accountId: number;
  contact?: Contact;
  contacts: Contact[];
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const create = useCreateContact();
  const update = useUpdateContact();
  const dates = useDates();

  const initial: Partial<Values> = contact
    ? {
        ...Object.fromEntries(Object.entries(contact).map(([k, v]) => [k, v ?? undefined])),
        birthday: dates.pickerDay(contact.birthday),
      }
    : {};

  function submit(values: Values) {
    const body = {
      name: values.name.trim(),
      title: blankToNull(values.title),
      department: blankToNull(values.department),
      reportsToId: values.reportsToId ?? null,
      phone: blankToNull(values.phone),
      mobile: blankToNull(values.mobile),
      email: blankToNull(values.email),
      wechat: blankToNull(values.wechat),
      birthday: dates.pickedDay(values.birthday),
      notes: blankToNull(values.notes),
    };
    if (contact) {
      const changes = Object.fromEntries(
        Object.entries(body).filter(([k, val]) => (contact as unknown as Record<string, unknown>)[k] !== val),
      );
      if (Object.keys(changes).length === 0) return onClose();
      update.mutate(
        { id: contact.id, version: contact.version, ...changes },
        {
          onSuccess: () => {
            message.success(t('common.saved'));
            onClose();
          },
          onError: (e) => report(e, form),
        },
      );
    } else {
      create.mutate(
        { accountId, ...body },
        {
          onSuccess: () => {
            message.success(t('accounts.contact.created', { name: body.name }));
            onClose();
          },
          onError: (e) => report(e, form),
        },
      );
    }
  }

  const half = { style: { flex: '1 1 200px' } };
  return (
    <Drawer
      open
      title={contact ? t('accounts.contact.edit') : t('accounts.contact.new')}
      size={screens.sm ? 560 : '100%'}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={create.isPending || update.isPending}
            onClick={() => form.submit()}
            data-testid="contact-form-submit"
          >
            {contact ? t('common.save') : t('common.create')}
          </Button>
        </Flex>
      }
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit} scrollToFirstError>
        <Flex gap={12} wrap>
          <Form.Item
            name="name"
            label={t('accounts.contact.name')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 100 }]}
            {...half}
          >
            <Input autoFocus data-testid="contact-name" />
          </Form.Item>
          <Form.Item name="title" label={t('accounts.contact.title')} rules={[{ max: 100 }]} {...half}>
            <Input data-testid="contact-title" />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item name="department" label={t('accounts.contact.department')} rules={[{ max: 100 }]} {...half}>
            <Input />
          </Form.Item>
          <Form.Item
            name="reportsToId"
            label={t('accounts.contact.reportsTo')}
            extra={t('accounts.contact.reportsToHint')}
            {...half}
          >
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              data-testid="contact-reports-to"
              options={possibleManagers(contact, contacts).map((contact) => ({
                value: contact.id,
                label: contact.title ? `${contact.name} · ${contact.title}` : contact.name,
              }))}
            />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item name="mobile" label={t('accounts.contact.mobile')} rules={[{ max: 40 }]} {...half}>
            <Input inputMode="tel" />
          </Form.Item>
          <Form.Item name="phone" label={t('accounts.contact.phone')} rules={[{ max: 40 }]} {...half}>
            <Input inputMode="tel" />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item
            name="email"
            label={t('accounts.contact.email')}
            rules={[{ type: 'email', message: t('validation.email') }]}
            {...half}
          >
            <Input inputMode="email" />
          </Form.Item>
          <Form.Item name="wechat" label={t('accounts.contact.wechat')} rules={[{ max: 60 }]} {...half}>
            <Input />
          </Form.Item>
        </Flex>
        <Form.Item name="birthday" label={t('accounts.contact.birthday')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="notes"
          label={t('accounts.contact.notes')}
          extra={t('accounts.contact.notesHint')}
          rules={[{ max: 5000 }]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
