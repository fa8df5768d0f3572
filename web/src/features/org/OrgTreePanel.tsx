import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Col,
  Empty,
  Flex,
  Input,
  Row,
  Skeleton,
  Switch,
  Tag,
  Tree,
  Typography,
  type TreeProps,
} from 'antd';
import { SearchOutlined, UserOutlined } from '@ant-design/icons';
import type { OrgUnit } from '../../api/types.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useI18n } from '../../i18n/useI18n.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useCan } from '../auth/session.ts';
import { useOrgUnits, useUpdateUnit } from './api.ts';
import { buildTree, type UnitNode } from './tree.ts';
import { UnitDetails } from './UnitDetails.tsx';
import { UnitFormModal } from './UnitFormModal.tsx';
import { MoveUnitModal } from './MoveUnitModal.tsx';
import { UnitTypeTag } from './UnitTypeTag.tsx';

type Dialog =
  { kind: 'create'; parent: OrgUnit } | { kind: 'edit'; unit: OrgUnit } | { kind: 'move'; unit: OrgUnit } | null;
type TreeNode = NonNullable<TreeProps['treeData']>[number];

/** Settings → Org tree: the company's units; administrators add, rename, move and archive them. */
export default function OrgTreePanel() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const report = useProblem();
  const canEdit = useCan()('org.administer');
  const [showArchived, setShowArchived] = useState(false);
  const [filter, setFilter] = useState('');
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  // Remember what was folded rather than what is open, so new units show up expanded.
  const [folded, setFolded] = useState<Set<number>>(() => new Set());
  const units = useOrgUnits(showArchived);
  const move = useUpdateUnit();

  const list = useMemo(() => units.data ?? [], [units.data]);
  const byId = useMemo(() => new Map(list.map((u) => [u.id, u])), [list]);
  const forest = useMemo(() => buildTree(list, new Intl.Collator(locale)), [list, locale]);

  const treeData = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    // With a filter, keep matching units and the branches leading to them.
    const toNode = (node: UnitNode): TreeNode | null => {
      const children = node.children.map(toNode).filter((c): c is TreeNode => c !== null);
      if (needle && !node.unit.name.toLowerCase().includes(needle) && children.length === 0) return null;
      const unit = node.unit;
      return {
        key: unit.id,
        children,
        title: (
          <Flex align="center" gap={8} style={{ opacity: unit.archived ? 0.5 : 1 }} data-testid={`org-node-${unit.id}`}>
            <span>{unit.name}</span>
            <UnitTypeTag type={unit.type} />
            {unit.archived ? (
              <Tag style={{ marginInlineEnd: 0 }}>{t('org.archivedTag')}</Tag>
            ) : (
              <Typography.Text
                type="secondary"
                style={{ fontSize: 12 }}
                title={t('org.members', { count: unit.memberCount ?? 0 })}
              >
                <UserOutlined /> {unit.memberCount ?? 0}
              </Typography.Text>
            )}
          </Flex>
        ),
      };
    };
    return forest.map(toNode).filter((c): c is TreeNode => c !== null);
  }, [forest, filter, t]);

  const selected = (selectedId !== null ? byId.get(selectedId) : undefined) ?? forest[0]?.unit;
  const childCount = selected ? list.filter((u) => u.parentId === selected.id && !u.archived).length : 0;

  // Drag-and-drop move: onto a node = under it; between nodes = beside it (same parent).
  const onDrop: TreeProps['onDrop'] = (info) => {
    const dragged = byId.get(Number(info.dragNode.key));
    const target = byId.get(Number(info.node.key));
    if (!dragged || !target) return;
    const parentId = info.dropToGap ? target.parentId : target.id;
    if (parentId === null || parentId === dragged.parentId) return;
    move.mutate(
      { id: dragged.id, version: dragged.version, parentId },
      { onSuccess: () => message.success(t('org.moved')), onError: (e) => report(e) },
    );
  };

  if (units.isError) return <LoadError error={units.error} onRetry={() => void units.refetch()} />;

  return (
    <>
      {!canEdit && <Alert type="info" showIcon title={t('common.readOnly')} style={{ marginBottom: 16 }} />}
      <Row gutter={[20, 20]}>
        <Col xs={24} lg={11}>
          <Flex gap={12} align="center" wrap style={{ marginBottom: 12 }}>
            <Input
              allowClear
              prefix={<SearchOutlined />}
              placeholder={t('org.searchPlaceholder')}
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              style={{ flex: '1 1 180px' }}
            />
            <Flex gap={8} align="center">
              <Switch size="small" checked={showArchived} onChange={setShowArchived} id="org-show-archived" />
              <label htmlFor="org-show-archived">{t('org.showArchived')}</label>
            </Flex>
          </Flex>
          <div
            data-testid="org-tree"
            style={{
              border: '1px solid #f0f0f0',
              borderRadius: 8,
              padding: 8,
              minHeight: 320,
              maxHeight: '65vh',
              overflow: 'auto',
            }}
          >
            {units.isPending ? (
              <Skeleton active paragraph={{ rows: 8 }} />
            ) : treeData.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('org.empty')} />
            ) : (
              <Tree
                blockNode
                showLine
                treeData={treeData}
                expandedKeys={list.filter((u) => filter || !folded.has(u.id)).map((u) => u.id)}
                onExpand={(keys) => {
                  const open = new Set(keys.map(Number));
                  setFolded(new Set(list.filter((u) => !open.has(u.id)).map((u) => u.id)));
                }}
                selectedKeys={selected ? [selected.id] : []}
                onSelect={(keys) => keys[0] !== undefined && setSelectedId(Number(keys[0]))}
                draggable={canEdit && !filter ? { icon: false } : false}
                onDrop={onDrop}
              />
            )}
          </div>
          {canEdit && (
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
              {t('org.dragHint')}
            </Typography.Paragraph>
          )}
        </Col>
        <Col xs={24} lg={13}>
          <UnitDetails
            unit={selected}
            byId={byId}
            childCount={childCount}
            canEdit={canEdit}
            onAddChild={(parent) => setDialog({ kind: 'create', parent })}
            onEdit={(unit) => setDialog({ kind: 'edit', unit })}
            onMove={(unit) => setDialog({ kind: 'move', unit })}
          />
        </Col>
      </Row>
      {dialog?.kind === 'create' && (
        <UnitFormModal
          mode="create"
          parent={dialog.parent}
          onClose={(created) => {
            setDialog(null);
            if (created) setSelectedId(created.id);
          }}
        />
      )}
      {dialog?.kind === 'edit' && <UnitFormModal mode="edit" unit={dialog.unit} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'move' && <MoveUnitModal unit={dialog.unit} units={list} onClose={() => setDialog(null)} />}
    </>
  );
}
