import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Col, Empty, Flex, Form, Input, Row, Select, Space, Statistic, Tag, Typography } from 'antd';
import { CheckCircleOutlined, SaveOutlined } from '@ant-design/icons';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useUsers } from '../users/api.ts';
import {
  CATEGORIES,
  useAssignSuccessors,
  useHandoverContacts,
  useSaveNote,
  type Category,
  type HandoverDetail,
  type HandoverItem,
  type HandoverNote,
} from './api.ts';
import { catLabel, FollowersTable, ItemsTable, takes, userOptions } from './HandoverItems.tsx';

/** The wizard's first three steps: the inventory, successors (in bulk or one by one), key-account notes. */

export function InventoryStep({ d: detail }: { d: HandoverDetail }) {
  const t = useT();
  const total = detail.items.length;
  return (
    <>
      <Row gutter={[16, 16]}>
        {CATEGORIES.map((category) => (
          <Col key={category} xs={12} md={8} lg={4}>
            <Card size="small">
              <Statistic title={t(catLabel(category))} value={detail.counts[category]} />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={8} lg={4}>
          <Card size="small">
            <Statistic title={t('handover.cat.tasksVisits')} value={detail.counts.tasks + detail.counts.visits} />
          </Card>
        </Col>
      </Row>
      {total === 0 ? (
        <Empty description={t('handover.nothingOwned')} />
      ) : (
        <Typography.Paragraph>
          {t('handover.inventoryHint', { n: total, key: detail.keyAccounts })}
        </Typography.Paragraph>
      )}
      <ItemsTable d={detail} />
      <FollowersTable d={detail} />
    </>
  );
}

function useCandidates(detail: HandoverDetail) {
  const users = useUsers({ limit: 500, offset: 0, active: true, sort: 'name' });
  return useMemo(
    () => (users.data?.items ?? []).filter((u) => u.id !== detail.fromUser.id),
    [users.data, detail.fromUser.id],
  );
}

export function SuccessorsStep({ d: detail }: { d: HandoverDetail }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const users = useCandidates(detail);
  const assign = useAssignSuccessors(detail.id);
  const [bulk, setBulk] = useState<number | undefined>();
  const [bulkCat, setBulkCat] = useState<Category | 'all'>('all');
  const apply = (items: { itemId: number; toUserId: number | null }[]) =>
    assign.mutateAsync(items).then(
      () => void message.success(t('handover.saved')),
      (e: unknown) => report(e),
    );
  return (
    <>
      <Card size="small" title={t('handover.bulkTitle')} style={{ marginBottom: 16 }}>
        <Flex gap={12} wrap align="center">
          <Select
            value={bulkCat}
            onChange={setBulkCat}
            style={{ width: 180 }}
            options={[
              { value: 'all', label: t('handover.bulkAll') },
              ...CATEGORIES.filter((c) => detail.counts[c] > 0).map((c) => ({ value: c, label: t(catLabel(c)) })),
            ]}
            aria-label={t('handover.bulkScope')}
          />
          <Select
            showSearch
            optionFilterProp="label"
            placeholder={t('handover.chooseSuccessor')}
            value={bulk}
            onChange={setBulk}
            style={{ minWidth: 260 }}
            options={userOptions(users, bulkCat === 'all' ? null : bulkCat)}
            data-testid="bulk-successor"
          />
          <Button
            type="primary"
            disabled={!bulk}
            loading={assign.isPending}
            onClick={() =>
              apply(
                detail.items
                  .filter(
                    (item) =>
                      (bulkCat === 'all' || item.category === bulkCat) &&
                      takes(item.category, users.find((u) => u.id === bulk)?.role),
                  )
                  .map((i) => ({ itemId: i.id, toUserId: bulk! })),
              )
            }
            data-testid="bulk-apply"
          >
            {t('handover.bulkApply')}
          </Button>
        </Flex>
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
          {t('handover.bulkHint')}
        </Typography.Text>
      </Card>
      <ItemsTable d={detail} editable users={users} onAssign={(itemId, toUserId) => apply([{ itemId, toUserId }])} />
    </>
  );
}

function NoteForm({ d: detail, item }: { d: HandoverDetail; item: HandoverItem }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const save = useSaveNote(detail.id);
  const contacts = useHandoverContacts(detail.id);
  const [form] = Form.useForm<HandoverNote>();
  useEffect(
    () => form.setFieldsValue(item.note ?? { state: '', openIssues: '', keyContacts: '', contactIds: [] }),
    [form, item.note],
  );
  const options = (contacts.data?.items ?? [])
    .filter((c) => c.accountId === item.accountId)
    .map((c) => ({ value: c.id, label: c.title ? `${c.name}（${c.title}）` : c.name }));
  return (
    <Card
      size="small"
      title={
        <Space>
          {item.label}
          {item.tier && <Tag color="red">{item.tier}</Tag>}
          {item.noteGaps.length === 0 ? (
            <Tag icon={<CheckCircleOutlined />} color="success">
              {t('handover.noteDone')}
            </Tag>
          ) : (
            <Tag color="warning">{t('handover.noteMissing')}</Tag>
          )}
        </Space>
      }
      style={{ marginBottom: 16 }}
      data-testid={`note-${item.id}`}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(note) =>
          save.mutateAsync({ itemId: item.id, note: { ...note, contactIds: note.contactIds ?? [] } }).then(
            () => void message.success(t('handover.saved')),
            (e: unknown) => report(e, form),
          )
        }
      >
        <Form.Item
          name="state"
          label={t('handover.note.state')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 2 }} placeholder={t('handover.note.statePh')} />
        </Form.Item>
        <Form.Item
          name="openIssues"
          label={t('handover.note.openIssues')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 2 }} placeholder={t('handover.note.openIssuesPh')} />
        </Form.Item>
        <Form.Item name="contactIds" label={t('handover.note.keyContacts')}>
          <Select
            mode="multiple"
            options={options}
            placeholder={t('handover.note.contactsPh')}
            notFoundContent={t('handover.note.noContacts')}
          />
        </Form.Item>
        <Form.Item name="keyContacts" label={t('handover.note.keyContactsText')}>
          <Input.TextArea autoSize={{ minRows: 1 }} placeholder={t('handover.note.keyContactsPh')} />
        </Form.Item>
        <Button htmlType="submit" icon={<SaveOutlined />} loading={save.isPending}>
          {t('handover.saveNote')}
        </Button>
      </Form>
    </Card>
  );
}

export function NotesStep({ d: detail }: { d: HandoverDetail }) {
  const t = useT();
  const keys = detail.items.filter((i) => i.keyAccount);
  if (keys.length === 0) return <Empty description={t('handover.noKeyAccounts')} />;
  return (
    <>
      <Typography.Paragraph type="secondary">{t('handover.notesHint')}</Typography.Paragraph>
      {keys.map((item) => (
        <NoteForm key={item.id} d={detail} item={item} />
      ))}
    </>
  );
}
