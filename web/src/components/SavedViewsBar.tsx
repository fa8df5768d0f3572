import { useState } from 'react';
import { App, Button, Dropdown, Flex, Form, Input, Modal, Select, Tooltip } from 'antd';
import { DeleteOutlined, EditOutlined, MoreOutlined, SaveOutlined } from '@ant-design/icons';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../api/client.ts';
import { useProblem } from '../api/useProblem.ts';
import { useT } from '../i18n/useI18n.ts';
import type {
  CreateViewRequest,
  SavedView,
  SavedViewArea,
  UpdateViewRequest,
} from '../../../src/contracts/saved-views.ts';

/** The list pages that keep saved views, and a view: the saved-views contract. */
export type { SavedView, SavedViewArea } from '../../../src/contracts/saved-views.ts';
/** The current filters as URL parameters; empty values do not count. */
export type ViewFilters = Record<string, string | undefined>;

const sameQuery = (left: Record<string, string>, right: ViewFilters) => {
  const ka = Object.keys(left).filter((k) => left[k]);
  const kb = Object.keys(right).filter((k) => right[k]);
  return ka.length === kb.length && ka.every((k) => left[k] === right[k]);
};

export const savedViewKeys = {
  all: ['saved-views'] as const,
  area: (area: SavedViewArea) => [...savedViewKeys.all, area] as const,
};

export const savedViewQueries = {
  area: (area: SavedViewArea) =>
    queryOptions({
      queryKey: savedViewKeys.area(area),
      queryFn: ({ signal }) => api.get<{ items: SavedView[] }>('/saved-views', { area }, { signal }),
      select: (r) => r.items,
    }),
};

function useSavedViewApi(area: SavedViewArea) {
  const qc = useQueryClient();
  const onSettled = () => qc.invalidateQueries({ queryKey: savedViewKeys.area(area) });
  return {
    views: useQuery(savedViewQueries.area(area)),
    create: useMutation({
      mutationFn: (body: Omit<CreateViewRequest, 'area'>) => api.post<SavedView>('/saved-views', { area, ...body }),
      onSettled,
    }),
    update: useMutation({
      mutationFn: ({ id, ...body }: Omit<UpdateViewRequest, 'query'> & { id: number }) =>
        api.patch<SavedView>(`/saved-views/${id}`, body),
      onSettled,
    }),
    remove: useMutation({ mutationFn: (id: number) => request<void>('DELETE', `/saved-views/${id}`), onSettled }),
  };
}

/**
 * Personal saved list views for any list whose filters live in the URL: save the current
 * filters under a name, pick one, rename or delete it.
 */
export function SavedViewsBar({
  area,
  filters,
  onPick,
}: {
  area: SavedViewArea;
  filters: ViewFilters;
  onPick: (query: Record<string, string>) => void;
}) {
  const t = useT();
  const { modal, message } = App.useApp();
  const report = useProblem();
  const { views, create, update, remove } = useSavedViewApi(area);
  const [naming, setNaming] = useState<{ view?: SavedView } | null>(null);
  const [form] = Form.useForm<{ name: string }>();
  const current = views.data?.find((v) => sameQuery(v.query, filters));
  const hasFilters = Object.values(filters).some(Boolean);

  function submit({ name }: { name: string }) {
    const done = () => {
      message.success(t('accounts.views.saved'));
      setNaming(null);
    };
    if (naming?.view)
      update.mutate(
        { id: naming.view.id, version: naming.view.version, name: name.trim() },
        { onSuccess: done, onError: (e) => report(e, form) },
      );
    else
      create.mutate(
        {
          name: name.trim(),
          query: Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as Record<string, string>,
        },
        { onSuccess: done, onError: (e) => report(e, form) },
      );
  }

  return (
    <Flex gap={8} align="center" wrap>
      <Select
        allowClear
        placeholder={t('accounts.views.pick')}
        value={current?.id}
        loading={views.isPending}
        onChange={(id?: number) => onPick(views.data?.find((v) => v.id === id)?.query ?? {})}
        options={(views.data ?? []).map((v) => ({ value: v.id, label: v.name }))}
        notFoundContent={<span style={{ padding: 8, display: 'block' }}>{t('accounts.views.none')}</span>}
        style={{ minWidth: 180 }}
        aria-label={t('accounts.views.pick')}
        data-testid="saved-views"
      />
      <Tooltip title={hasFilters ? undefined : t('accounts.views.nothingToSave')}>
        <Button
          icon={<SaveOutlined />}
          disabled={!hasFilters || current !== undefined}
          onClick={() => {
            form.resetFields();
            setNaming({});
          }}
        >
          {t('accounts.views.save')}
        </Button>
      </Tooltip>
      {current && (
        <Dropdown
          trigger={['click']}
          menu={{
            items: [
              { key: 'rename', icon: <EditOutlined />, label: t('accounts.views.rename') },
              { key: 'delete', icon: <DeleteOutlined />, label: t('accounts.views.delete'), danger: true },
            ],
            onClick: ({ key }) => {
              if (key === 'rename') {
                form.setFieldsValue({ name: current.name });
                setNaming({ view: current });
              }
              if (key === 'delete') {
                modal.confirm({
                  title: t('accounts.views.deleteConfirm', { name: current.name }),
                  okButtonProps: { danger: true },
                  okText: t('accounts.views.delete'),
                  cancelText: t('common.cancel'),
                  onOk: () =>
                    remove.mutateAsync(current.id).then(
                      () => void message.success(t('accounts.views.deleted')),
                      (e: unknown) => report(e),
                    ),
                });
              }
            },
          }}
        >
          <Button icon={<MoreOutlined />} aria-label={t('accounts.views.manage')} />
        </Dropdown>
      )}
      <Modal
        open={naming !== null}
        title={naming?.view ? t('accounts.views.rename') : t('accounts.views.save')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending || update.isPending}
        onOk={() => form.submit()}
        onCancel={() => setNaming(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
          <Form.Item
            name="name"
            label={t('accounts.views.name')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 60 }]}
          >
            <Input autoFocus placeholder={t('accounts.views.namePlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}
