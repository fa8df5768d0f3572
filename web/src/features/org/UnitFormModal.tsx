import { App, Form, Input, Modal, Select } from 'antd';
import { ORG_UNIT_TYPES, type OrgUnit, type OrgUnitType } from '../../api/types.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useCreateUnit, useUpdateUnit } from './api.ts';
import type { SalesMode } from '../../../../src/domain/sales-mode.ts';

type ModeChoice = 'inherit' | SalesMode;
interface Values {
  name: string;
  type: OrgUnitType;
  salesMode: ModeChoice;
}

const MODE_CHOICES: ModeChoice[] = ['inherit', 'territory', 'key_account'];
const modeOf = (choice: ModeChoice): SalesMode | null => (choice === 'inherit' ? null : choice);

/** The usual type one level down: a region under a group, a branch under a region… */
function childTypeOf(parent: OrgUnit): OrgUnitType {
  const parentIndex = ORG_UNIT_TYPES.indexOf(parent.type);
  return ORG_UNIT_TYPES[Math.min(parentIndex + 1, ORG_UNIT_TYPES.length - 1)] ?? 'department';
}

type Props = { onClose: (created?: OrgUnit) => void } & (
  { mode: 'create'; parent: OrgUnit } | { mode: 'edit'; unit: OrgUnit }
);

/** Add a unit under a parent, or rename / relabel an existing one. Mounted only while open. */
export function UnitFormModal(props: Props) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const [form] = Form.useForm<Values>();
  const create = useCreateUnit();
  const update = useUpdateUnit();
  const pending = create.isPending || update.isPending;

  const initial: Values =
    props.mode === 'create'
      ? { name: '', type: childTypeOf(props.parent), salesMode: 'inherit' }
      : { name: props.unit.name, type: props.unit.type, salesMode: props.unit.salesMode ?? 'inherit' };

  function submit(values: Values) {
    if (props.mode === 'create') {
      create.mutate(
        { parentId: props.parent.id, name: values.name.trim(), type: values.type, salesMode: modeOf(values.salesMode) },
        {
          onSuccess: (unit) => {
            message.success(t('org.created'));
            props.onClose(unit);
          },
          onError: (e) => report(e, form),
        },
      );
    } else {
      const { unit } = props;
      update.mutate(
        {
          id: unit.id,
          version: unit.version,
          name: values.name.trim(),
          type: values.type,
          salesMode: modeOf(values.salesMode),
        },
        {
          onSuccess: () => {
            message.success(t('org.updated'));
            props.onClose();
          },
          onError: (e) => report(e, form),
        },
      );
    }
  }

  return (
    <Modal
      open
      title={
        props.mode === 'create' ? t('org.form.createTitle', { parent: props.parent.name }) : t('org.form.editTitle')
      }
      okText={props.mode === 'create' ? t('common.create') : t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={pending}
      onOk={() => form.submit()}
      onCancel={() => props.onClose()}
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit} style={{ marginTop: 16 }}>
        <Form.Item
          name="name"
          label={t('org.form.name')}
          rules={[
            { required: true, whitespace: true, message: t('validation.required') },
            { max: 100, message: t('validation.maxLength', { n: 100 }) },
          ]}
        >
          <Input autoFocus maxLength={100} />
        </Form.Item>
        <Form.Item name="type" label={t('org.form.type')} rules={[{ required: true }]}>
          <Select options={ORG_UNIT_TYPES.map((ty) => ({ value: ty, label: t(`unitType.${ty}`) }))} />
        </Form.Item>
        <Form.Item name="salesMode" label={t('org.form.salesMode')} extra={t('org.form.salesModeHint')}>
          <Select
            options={MODE_CHOICES.map((choice) => ({ value: choice, label: t(`org.salesMode.${choice}`) }))}
            data-testid="unit-sales-mode"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
