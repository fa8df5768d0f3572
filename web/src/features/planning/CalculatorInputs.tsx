import { Button, Card, Col, Divider, Flex, Form, Input, InputNumber, Row, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { FormInstance } from 'antd';
import { useT } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { useProcess, useProcesses } from '../opportunities/api.ts';

/** What a manager types, money in yuan (the page turns it into fen). */
export interface CalcStage {
  name: string;
  probability: number | null;
  weeks: number | null;
  count: number | null;
}
export interface CalcValues {
  quota: number | null;
  averageDeal: number | null;
  weeks: number | null;
  weeksLeft: number | null;
  realised: number | null;
  newPerRepPerWeek: number | null;
  stages: CalcStage[];
  commit: number | null;
  possible: number | null;
  nonCommit: number | null;
  commitWeight: number | null;
  possibleWeight: number | null;
  unforecastRate: number | null;
  p1: number | null;
  p2: number | null;
  p3: number | null;
}

const money = (time: (key: MessageKey) => string) => ({
  min: 0,
  precision: 0,
  prefix: '¥',
  style: { width: '100%' },
  placeholder: time('planning.inYuan'),
});
const pct = { min: 0, max: 100, precision: 0, suffix: '%', style: { width: '100%' } };

/** The numbers of the what-if: one form, every calculator reads the fields it needs. */
export function CalculatorInputs({
  form,
  initialValues,
  processId,
  onProcess,
  onChange,
}: {
  form: FormInstance<CalcValues>;
  initialValues: CalcValues;
  processId: number | undefined;
  onProcess: (id: number | undefined) => void;
  onChange: (values: CalcValues) => void;
}) {
  const t = useT();
  const processes = useProcesses();
  const process = useProcess(processId);
  const moneyInput = money(t);

  const loadStages = () => {
    const stages = process.data?.stages.filter((s) => !s.won) ?? [];
    if (stages.length === 0) return;
    const old = form.getFieldValue('stages') as CalcStage[];
    form.setFieldValue(
      'stages',
      stages.map((stage, index) => ({
        name: stage.name,
        probability: stage.probability,
        weeks: Math.max(1, Math.round((stage.expectedDays / 7) * 10) / 10),
        count: old[index]?.count ?? 0,
      })),
    );
    onChange(form.getFieldsValue(true) as CalcValues);
  };

  return (
    <Form
      form={form}
      initialValues={initialValues}
      layout="vertical"
      onValuesChange={(_, all) => onChange(all)}
      data-testid="calc-inputs"
    >
      <Card size="small" title={t('planning.section.period')}>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="quota" label={t('planning.quota')}>
              <InputNumber {...moneyInput} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="realised" label={t('planning.realised')}>
              <InputNumber {...moneyInput} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="averageDeal" label={t('planning.averageDeal')}>
              <InputNumber {...moneyInput} min={1} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="newPerRepPerWeek" label={t('planning.newPerRep')}>
              <InputNumber min={0} precision={1} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="weeks" label={t('planning.weeks')}>
              <InputNumber min={1} max={520} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="weeksLeft" label={t('planning.weeksLeft')}>
              <InputNumber min={0} max={520} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </Card>

      <Card size="small" title={t('planning.section.stages')} style={{ marginTop: 12 }}>
        <Flex gap={8} style={{ marginBottom: 12 }}>
          <Select
            style={{ flex: 1, minWidth: 0 }}
            allowClear
            placeholder={t('planning.fromProcess')}
            value={processId}
            onChange={onProcess}
            options={(processes.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            data-testid="calc-process"
          />
          <Button onClick={loadStages} disabled={!process.data}>
            {t('planning.loadStages')}
          </Button>
        </Flex>
        <Row gutter={6} style={{ fontSize: 12, color: '#64748b', marginBottom: 4 }}>
          <Col span={8}>{t('planning.stage.name')}</Col>
          <Col span={5}>{t('planning.stage.probability')}</Col>
          <Col span={5}>{t('planning.stage.weeks')}</Col>
          <Col span={5}>{t('planning.stage.count')}</Col>
        </Row>
        <Form.List name="stages">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Row gutter={6} key={field.key} align="middle">
                  <Col span={8}>
                    <Form.Item name={[field.name, 'name']} style={{ marginBottom: 6 }}>
                      <Input maxLength={100} aria-label={t('planning.stage.name')} />
                    </Form.Item>
                  </Col>
                  <Col span={5}>
                    <Form.Item name={[field.name, 'probability']} style={{ marginBottom: 6 }}>
                      <InputNumber {...pct} aria-label={t('planning.stage.probability')} />
                    </Form.Item>
                  </Col>
                  <Col span={5}>
                    <Form.Item name={[field.name, 'weeks']} style={{ marginBottom: 6 }}>
                      <InputNumber
                        min={0.1}
                        max={520}
                        style={{ width: '100%' }}
                        aria-label={t('planning.stage.weeks')}
                      />
                    </Form.Item>
                  </Col>
                  <Col span={5}>
                    <Form.Item name={[field.name, 'count']} style={{ marginBottom: 6 }}>
                      <InputNumber min={0} style={{ width: '100%' }} aria-label={t('planning.stage.count')} />
                    </Form.Item>
                  </Col>
                  <Col span={1}>
                    <Button
                      type="text"
                      size="small"
                      icon={<DeleteOutlined />}
                      disabled={fields.length <= 1}
                      onClick={() => remove(field.name)}
                      aria-label={t('planning.stage.remove')}
                    />
                  </Col>
                </Row>
              ))}
              <Button
                type="dashed"
                block
                icon={<PlusOutlined />}
                disabled={fields.length >= 30}
                onClick={() => add({ name: '', probability: null, weeks: 1, count: 0 })}
              >
                {t('planning.stage.add')}
              </Button>
            </>
          )}
        </Form.List>
      </Card>

      <Card size="small" title={t('planning.section.forecast')} style={{ marginTop: 12 }}>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="commit" label={t('planning.commit')}>
              <InputNumber {...moneyInput} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="possible" label={t('planning.possible')}>
              <InputNumber {...moneyInput} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="commitWeight" label={t('planning.commitWeight')}>
              <InputNumber {...pct} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="possibleWeight" label={t('planning.possibleWeight')}>
              <InputNumber {...pct} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="unforecastRate" label={t('planning.unforecastRate')}>
              <InputNumber {...pct} />
            </Form.Item>
          </Col>
        </Row>
        <Divider style={{ margin: '4px 0 12px' }} />
        <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8, fontSize: 12 }}>
          {t('planning.gapHint')}
        </Typography.Text>
        <Row gutter={12}>
          <Col span={24}>
            <Form.Item name="nonCommit" label={t('planning.nonCommit')}>
              <InputNumber {...moneyInput} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="p1" label="P1">
              <InputNumber {...pct} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="p2" label="P2">
              <InputNumber {...pct} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="p3" label="P3">
              <InputNumber {...pct} min={1} />
            </Form.Item>
          </Col>
        </Row>
      </Card>
    </Form>
  );
}
