import { Button, Card, Flex, Form, Input, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useT } from '../../i18n/useI18n.ts';

/** One business line as the rules form holds it (the API's shape). */
export interface BusinessLineValue {
  key: string;
  nameZh: string;
  nameEn: string;
  products: string[];
}

/**
 * Settings → Rules: the workspace's business lines (docs/targets.md § Business lines) — a key,
 * a name in each language and the products each sells; a deal counts toward the line of its
 * products. Saved with the rest of the rules; a save re-sorts every deal.
 */
export function BusinessLineFields() {
  const t = useT();
  const required = [{ required: true, whitespace: true, message: t('validation.required') }];
  return (
    <>
      <Typography.Title level={5}>{t('quotas.lines.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('quotas.lines.hint')}</Typography.Paragraph>
      <Form.List name="businessLines">
        {(fields, { add, remove }) => (
          <Flex vertical gap={8} style={{ marginBottom: 16 }} data-testid="rules-lines">
            {fields.map((field) => (
              <Card
                key={field.key}
                size="small"
                data-testid={`rules-line-${field.name}`}
                extra={
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('quotas.lines.remove')}
                    onClick={() => remove(field.name)}
                  />
                }
                title={t('quotas.lines.line', { n: field.name + 1 })}
              >
                <Flex gap={12} wrap>
                  <Form.Item
                    name={[field.name, 'key']}
                    label={t('quotas.lines.key')}
                    extra={t('quotas.lines.keyHint')}
                    style={{ flex: '1 1 120px' }}
                    rules={[...required, { pattern: /^[a-z][a-z0-9_-]{0,39}$/, message: t('quotas.lines.keyRule') }]}
                  >
                    <Input maxLength={40} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'nameZh']}
                    label={t('quotas.lines.nameZh')}
                    style={{ flex: '1 1 120px' }}
                    rules={required}
                  >
                    <Input maxLength={60} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'nameEn']}
                    label={t('quotas.lines.nameEn')}
                    style={{ flex: '1 1 120px' }}
                    rules={required}
                  >
                    <Input maxLength={60} />
                  </Form.Item>
                </Flex>
                <Form.Item
                  name={[field.name, 'products']}
                  label={t('quotas.lines.products')}
                  extra={t('quotas.lines.productsHint')}
                >
                  <Select mode="tags" tokenSeparators={[',', '，']} open={false} suffixIcon={null} />
                </Form.Item>
              </Card>
            ))}
            <Button
              icon={<PlusOutlined />}
              onClick={() => add({ key: '', nameZh: '', nameEn: '', products: [] })}
              data-testid="rules-line-add"
            >
              {t('quotas.lines.add')}
            </Button>
          </Flex>
        )}
      </Form.List>
    </>
  );
}
