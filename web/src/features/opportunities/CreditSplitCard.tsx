import { useState } from 'react';
import { App, Button, Card, Flex, InputNumber, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { CreditSplits } from '../../../../src/contracts/groups.ts';
import { usePeople } from './api.ts';
import type { OpportunityDetail } from './types.ts';

type Row = { userId: number | undefined; percent: number | null };

/**
 * How the deal's credit is shared (docs/archive.md § Group accounts): when a head office signs
 * for a subsidiary's project the owners split it, in whole percent adding up to 100. A manager
 * over the deal changes it; everyone who sees the deal sees it.
 */
export function CreditSplitCard({ o: opportunity }: { o: OpportunityDetail }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const qc = useQueryClient();
  const key = ['opportunities', 'detail', opportunity.id, 'credit-splits'] as const;
  const splits = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<CreditSplits>(`/opportunities/${opportunity.id}/credit-splits`, {}, { signal }),
  });
  const people = usePeople();
  const [rows, setRows] = useState<Row[] | null>(null);
  const save = useMutation({
    mutationFn: (body: { splits: { userId: number; percent: number }[] }) =>
      request<CreditSplits>('PUT', `/opportunities/${opportunity.id}/credit-splits`, body),
    onSuccess: (data) => {
      qc.setQueryData(key, data);
      setRows(null);
      void message.success(t('common.saved'));
    },
    onError: (e) => report(e),
  });
  const current = splits.data?.splits ?? [];
  const total = (rows ?? []).reduce((s, r) => s + (r.percent ?? 0), 0);
  const edit = () =>
    setRows(
      current.length
        ? current.map((s) => ({ userId: s.userId, percent: s.percent }))
        : [{ userId: opportunity.ownerId ?? undefined, percent: 100 }],
    );
  return (
    <Card
      size="small"
      title={t('opps.credit.title')}
      style={{ marginTop: 16 }}
      data-testid="credit-split"
      extra={
        opportunity.permissions.manage && rows === null ? (
          <Button size="small" onClick={edit}>
            {t('common.edit')}
          </Button>
        ) : undefined
      }
    >
      {rows === null ? (
        current.length === 0 ? (
          <Typography.Text type="secondary">
            {t('opps.credit.allOwner', { name: opportunity.ownerName ?? '' })}
          </Typography.Text>
        ) : (
          <Flex vertical gap={4}>
            {current.map((currentItem) => (
              <Flex key={currentItem.userId} justify="space-between" style={{ maxWidth: 360 }}>
                <span>{currentItem.userName}</span>
                <Typography.Text strong>{currentItem.percent}%</Typography.Text>
              </Flex>
            ))}
          </Flex>
        )
      ) : (
        <Flex vertical gap={8}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('opps.credit.hint')}
          </Typography.Text>
          {rows.map((row, index) => (
            <Flex key={index} gap={8} wrap>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                value={row.userId}
                placeholder={t('opps.credit.person')}
                style={{ width: 200 }}
                options={(people.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
                onChange={(v: number) => setRows(rows.map((x, j) => (j === index ? { ...x, userId: v } : x)))}
              />
              <InputNumber
                min={1}
                max={100}
                precision={0}
                value={row.percent}
                suffix="%"
                style={{ width: 100 }}
                aria-label={t('opps.credit.percent')}
                onChange={(v) => setRows(rows.map((x, j) => (j === index ? { ...x, percent: v } : x)))}
              />
              <Button
                type="text"
                icon={<DeleteOutlined />}
                aria-label={t('opps.credit.remove')}
                onClick={() => setRows(rows.filter((_, j) => j !== index))}
              />
            </Flex>
          ))}
          <Flex gap={8} align="center" wrap>
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() => setRows([...rows, { userId: undefined, percent: null }])}
              disabled={rows.length >= 10}
            >
              {t('opps.credit.add')}
            </Button>
            <Typography.Text
              type={rows.length === 0 || total === 100 ? 'secondary' : 'danger'}
              data-testid="credit-total"
            >
              {t('opps.credit.total', { total })}
            </Typography.Text>
          </Flex>
          <Flex gap={8}>
            <Button
              type="primary"
              size="small"
              loading={save.isPending}
              disabled={rows.some((r) => r.userId === undefined || r.percent === null)}
              onClick={() => save.mutate({ splits: rows.map((r) => ({ userId: r.userId!, percent: r.percent! })) })}
            >
              {t('common.save')}
            </Button>
            <Button size="small" onClick={() => setRows(null)}>
              {t('common.cancel')}
            </Button>
          </Flex>
        </Flex>
      )}
    </Card>
  );
}
