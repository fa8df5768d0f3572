import { App, Button, Drawer, Flex, Form, Grid, Input, Select, Switch } from 'antd';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { PROVINCES } from '../accounts/types.ts';
import { canonicalProvince } from '../../../../src/domain/regions.ts';
import {
  INDUSTRIES,
  useCreateTerritory,
  useTerritoryOwners,
  useUpdateTerritory,
  type Industry,
  type Territory,
} from './api.ts';
import { industryLabel } from './placeLabels.ts';

interface Values {
  name?: string;
  province: string;
  city?: string;
  district?: string;
  industry?: Industry | null;
  userId: number;
  active: boolean;
}

const blankToNull = (s: string | undefined) => (s?.trim() ? s.trim() : null);

export function TerritoryDrawer({ rule, onClose }: { rule?: Territory; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const owners = useTerritoryOwners();
  const create = useCreateTerritory();
  const update = useUpdateTerritory();
  const initial: Partial<Values> = rule
    ? {
        name: rule.name ?? '',
        province: rule.province ?? '',
        city: rule.city ?? '',
        district: rule.district ?? '',
        industry: rule.industry,
        userId: rule.userId,
        active: rule.active,
      }
    : { active: true };

  function submit(values: Values) {
    const body = {
      name: blankToNull(values.name),
      province: values.province.trim(),
      city: blankToNull(values.city),
      district: blankToNull(values.district),
      industry: values.industry ?? null,
      userId: values.userId,
      active: values.active,
    };
    const done = {
      onSuccess: () => {
        message.success(t('common.saved'));
        onClose();
      },
      onError: (e: unknown) => report(e, form),
    };
    if (rule) update.mutate({ id: rule.id, version: rule.version, ...body }, done);
    else create.mutate(body, done);
  }
  const required = { required: true, whitespace: true, message: t('validation.required') };
  return (
    <Drawer
      open
      title={rule ? t('territories.edit') : t('territories.add')}
      size={screens.sm ? 440 : '100%'}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={create.isPending || update.isPending}
            onClick={() => form.submit()}
            data-testid="territory-submit"
          >
            {rule ? t('common.save') : t('common.create')}
          </Button>
        </Flex>
      }
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit}>
        <Form.Item name="province" label={t('territories.form.province')} rules={[required]}>
          <Select
            autoFocus
            showSearch
            placeholder={t('territories.form.provinceHint')}
            options={PROVINCES.map((p) => ({ value: p, label: p }))}
            // 上海 and Shanghai find 上海市: the server stores every province by its full name.
            filterOption={(input, o) => !!o && (o.value.includes(input.trim()) || canonicalProvince(input) === o.value)}
            data-testid="territory-province"
          />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="city" label={t('territories.form.city')} rules={[{ max: 30 }]} style={{ flex: 1 }}>
            <Input placeholder={t('territories.form.optional')} />
          </Form.Item>
          <Form.Item name="district" label={t('territories.form.district')} rules={[{ max: 30 }]} style={{ flex: 1 }}>
            <Input placeholder={t('territories.form.optional')} />
          </Form.Item>
        </Flex>
        <Form.Item name="industry" label={t('territories.form.industry')} extra={t('territories.form.industryHint')}>
          <Select
            allowClear
            placeholder={t('territories.anyIndustry')}
            options={INDUSTRIES.map((i) => ({ value: i, label: industryLabel(t, i) }))}
          />
        </Form.Item>
        <Form.Item
          name="userId"
          label={t('territories.form.rep')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            loading={owners.isPending}
            placeholder={t('territories.form.repHint')}
            options={(owners.data ?? []).map((u) => ({ value: u.id, label: `${u.name} · ${u.orgUnitLabel}` }))}
            data-testid="territory-rep"
          />
        </Form.Item>
        <Form.Item name="name" label={t('territories.form.name')} rules={[{ max: 100 }]}>
          <Input placeholder={t('territories.form.optional')} />
        </Form.Item>
        <Form.Item name="active" label={t('territories.form.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
