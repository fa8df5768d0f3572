import { useEffect, useState } from 'react';
import { Alert, App, Button, Drawer, Flex, Form, Grid, Input, List, Select, Typography } from 'antd';
import { Link } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/useI18n.ts';
import { useCan } from '../auth/session.ts';
import { useCreateAccount, useDuplicates, usePeople, useUpdateAccount, type AccountBody } from './api.ts';
import { useProblem } from '../../api/useProblem.ts';
import { AccountPicker } from './AccountPicker.tsx';
import {
  ACCOUNT_STATUSES,
  COMPANY_SIZES,
  INDUSTRIES,
  LEAD_SOURCES,
  PROVINCES,
  type AccountDetail,
  type AccountStatus,
  type CompanySize,
  type Industry,
  type LeadSource,
} from './types.ts';

interface Values {
  name: string;
  creditCode?: string;
  status: AccountStatus;
  industry?: Industry;
  size?: CompanySize;
  leadSource?: LeadSource;
  referrerAccountId?: number | null;
  province?: string;
  city?: string;
  district?: string;
  address?: string;
  phone?: string;
  website?: string;
  notes?: string;
  ownerId?: number;
}

/** 统一社会信用代码: 18 characters, digits and upper-case letters without I, O, S, V, Z (GB 32100-2015). */
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const blankToNull = (s: string | undefined) => (s?.trim() ? s.trim() : null);

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return debounced;
}

/** New account (all fields of docs/archive.md, live duplicate warning of §3.3), or edit one. Mounted only while open. */
export function AccountFormDrawer({
  account,
  onClose,
  onCreated,
}: {
  account?: AccountDetail;
  onClose: () => void;
  onCreated?: (created: AccountDetail) => void;
}) {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const report = useProblem();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const create = useCreateAccount();
  const update = useUpdateAccount();
  const people = usePeople();
  const editing = account !== undefined;
  const isManager = useCan()('accounts.manage');

  const name = useDebounced((Form.useWatch('name', form) ?? '').trim(), 400);
  const creditCode = useDebounced((Form.useWatch('creditCode', form) ?? '').trim().toUpperCase(), 400);
  const duplicates = useDuplicates(editing ? '' : name, CREDIT_CODE.test(creditCode) ? creditCode : '');
  const matches = duplicates.data ?? [];

  const initial: Partial<Values> = account
    ? {
        name: account.name,
        creditCode: account.creditCode ?? undefined,
        status: account.status,
        industry: account.industry ?? undefined,
        size: account.size ?? undefined,
        leadSource: account.leadSource ?? undefined,
        referrerAccountId: account.referrerAccountId,
        province: account.province ?? undefined,
        city: account.city ?? undefined,
        district: account.district ?? undefined,
        address: account.address ?? undefined,
        phone: account.phone ?? undefined,
        website: account.website ?? undefined,
        notes: account.notes ?? undefined,
      }
    : { status: 'prospect' };

  function body(values: Values): AccountBody & { name: string } {
    return {
      name: values.name.trim(),
      creditCode: blankToNull(values.creditCode)?.toUpperCase() ?? null,
      status: values.status,
      industry: values.industry ?? null,
      size: values.size ?? null,
      leadSource: values.leadSource ?? null,
      referrerAccountId: values.referrerAccountId ?? null,
      province: values.province ?? null,
      city: blankToNull(values.city),
      district: blankToNull(values.district),
      address: blankToNull(values.address),
      phone: blankToNull(values.phone),
      website: blankToNull(values.website),
      notes: blankToNull(values.notes),
    };
  }

  function submit(values: Values, allowSimilarName = false) {
    if (account) {
      const all = body(values);
      const changes = Object.fromEntries(
        Object.entries(all).filter(([k, val]) => (account as unknown as Record<string, unknown>)[k] !== val),
      );
      if (Object.keys(changes).length === 0) return onClose();
      update.mutate(
        { id: account.id, version: account.version, ...changes },
        {
          onSuccess: () => {
            message.success(t('common.saved'));
            onClose();
          },
          onError: (e) => report(e, form),
        },
      );
      return;
    }
    create.mutate(
      {
        ...body(values),
        ...(isManager && values.ownerId ? { ownerId: values.ownerId } : {}),
        ...(allowSimilarName ? { allowSimilarName } : {}),
      },
      {
        onSuccess: (created) => {
          message.success(t('accounts.created', { name: created.name }));
          onClose();
          onCreated?.(created);
        },
        onError: (err) => {
          if (isApiError(err) && err.code === 'possible_duplicate') {
            modal.confirm({
              title: t('accounts.dup.confirmTitle'),
              content: t('accounts.dup.confirmText'),
              okText: t('accounts.dup.createAnyway'),
              cancelText: t('common.cancel'),
              onOk: () => submit(values, true),
            });
            return;
          }
          report(err, form);
        },
      },
    );
  }

  const required = { required: true, message: t('validation.required') };
  const half = { style: { flex: '1 1 200px' } };

  return (
    <Drawer
      open
      title={editing ? t('accounts.edit') : t('accounts.new')}
      size={screens.sm ? 640 : '100%'}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={create.isPending || update.isPending}
            onClick={() => form.submit()}
            data-testid="account-form-submit"
          >
            {editing ? t('common.save') : t('common.create')}
          </Button>
        </Flex>
      }
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => submit(v)} scrollToFirstError>
        <Form.Item
          name="name"
          label={t('accounts.field.name')}
          rules={[{ ...required, whitespace: true }, { max: 200 }]}
          style={{ marginBottom: matches.length ? 8 : undefined }}
        >
          <Input autoFocus placeholder={t('accounts.field.namePlaceholder')} data-testid="account-name" />
        </Form.Item>
        {matches.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('accounts.dup.title', { count: matches.length })}
            data-testid="duplicate-warning"
            description={
              <List
                size="small"
                dataSource={matches.slice(0, 5)}
                renderItem={(match) => (
                  <List.Item style={{ padding: '4px 0' }}>
                    <Flex justify="space-between" style={{ width: '100%' }} gap={8}>
                      <span>
                        {match.visible && match.id ? (
                          <Link to={`/accounts/${match.id}`} target="_blank">
                            {match.name}
                          </Link>
                        ) : (
                          <Typography.Text>{match.name}</Typography.Text>
                        )}
                        {match.sameCreditCode && (
                          <Typography.Text type="danger"> · {t('accounts.dup.sameCode')}</Typography.Text>
                        )}
                      </span>
                      <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                        {match.visible ? (match.ownerName ?? t('accounts.noOwner')) : t('accounts.dup.notVisible')} ·{' '}
                        {Math.round(match.similarity * 100)}%
                      </Typography.Text>
                    </Flex>
                  </List.Item>
                )}
              />
            }
          />
        )}
        <Form.Item
          name="creditCode"
          label={t('accounts.field.creditCode')}
          extra={t('accounts.field.creditCodeHint')}
          normalize={(v: string) => v.toUpperCase().replace(/\s/g, '')}
          rules={[
            {
              validator: async (_, value?: string) => {
                if (value && !CREDIT_CODE.test(value)) throw new Error(t('accounts.field.creditCodeFormat'));
              },
            },
          ]}
        >
          <Input
            maxLength={18}
            showCount
            style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' }}
            placeholder="91440300MA5XXXXXXX"
          />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name="status" label={t('accounts.field.status')} rules={[required]} {...half}>
            <Select options={ACCOUNT_STATUSES.map((s) => ({ value: s, label: t(`accounts.status.${s}`) }))} />
          </Form.Item>
          <Form.Item name="industry" label={t('accounts.field.industry')} {...half}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={INDUSTRIES.map((s) => ({ value: s, label: t(`accounts.industry.${s}`) }))}
            />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item name="size" label={t('accounts.field.size')} {...half}>
            <Select allowClear options={COMPANY_SIZES.map((s) => ({ value: s, label: t(`accounts.size.${s}`) }))} />
          </Form.Item>
          <Form.Item name="leadSource" label={t('accounts.field.leadSource')} {...half}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={LEAD_SOURCES.map((s) => ({ value: s, label: t(`accounts.leadSource.${s}`) }))}
              data-testid="account-lead-source"
            />
          </Form.Item>
        </Flex>
        <Form.Item
          name="referrerAccountId"
          label={t('accounts.field.referrer')}
          tooltip={t('accounts.field.referrerHint')}
        >
          <AccountPicker
            exclude={account?.id}
            placeholder={t('accounts.field.referrerPlaceholder')}
            testId="account-referrer-picker"
          />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name="province" label={t('accounts.field.province')} style={{ flex: '1 1 150px' }}>
            <Select allowClear showSearch options={PROVINCES.map((p) => ({ value: p, label: p }))} />
          </Form.Item>
          <Form.Item name="city" label={t('accounts.field.city')} rules={[{ max: 30 }]} style={{ flex: '1 1 120px' }}>
            <Input />
          </Form.Item>
          <Form.Item
            name="district"
            label={t('accounts.field.district')}
            rules={[{ max: 30 }]}
            style={{ flex: '1 1 120px' }}
          >
            <Input />
          </Form.Item>
        </Flex>
        <Form.Item name="address" label={t('accounts.field.address')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name="phone" label={t('accounts.field.phone')} rules={[{ max: 40 }]} {...half}>
            <Input inputMode="tel" />
          </Form.Item>
          <Form.Item name="website" label={t('accounts.field.website')} rules={[{ max: 200 }]} {...half}>
            <Input inputMode="url" placeholder="https://" />
          </Form.Item>
        </Flex>
        {!editing && isManager && (
          <Form.Item name="ownerId" label={t('accounts.field.owner')} extra={t('accounts.field.ownerHint')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              loading={people.isPending}
              placeholder={t('accounts.field.ownerDefault')}
              options={(people.data ?? [])
                .filter((u) => ['admin', 'manager', 'rep'].includes(u.role))
                .map((u) => ({ value: u.id, label: `${u.name} · ${u.orgUnitLabel}` }))}
            />
          </Form.Item>
        )}
        <Form.Item name="notes" label={t('accounts.field.notes')} rules={[{ max: 5000 }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
