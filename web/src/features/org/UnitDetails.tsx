import { App, Button, Card, Descriptions, Empty, Flex, Tag, Tooltip, Typography } from 'antd';
import {
  ApartmentOutlined,
  EditOutlined,
  InboxOutlined,
  PlusOutlined,
  RollbackOutlined,
  SwapOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { useNavigate } from 'react-router';
import type { OrgUnit } from '../../api/types.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useArchiveUnit } from './api.ts';
import { UnitTypeTag } from './UnitTypeTag.tsx';

interface Props {
  unit: OrgUnit | undefined;
  byId: Map<number, OrgUnit>;
  childCount: number;
  canEdit: boolean;
  onAddChild: (unit: OrgUnit) => void;
  onEdit: (unit: OrgUnit) => void;
  onMove: (unit: OrgUnit) => void;
}

/** The selected unit: its facts and, for an administrator, what can be done with it. */
export function UnitDetails({ unit, byId, childCount, canEdit, onAddChild, onEdit, onMove }: Props) {
  const t = useT();
  const { message, modal } = App.useApp();
  const report = useProblem();
  const navigate = useNavigate();
  const archive = useArchiveUnit();

  if (!unit) {
    return (
      <Card>
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('org.selectHint')} />
      </Card>
    );
  }

  const parent = unit.parentId === null ? undefined : byId.get(unit.parentId);
  // Units above what the caller may see are not in the list; the path starts where their view does.
  const pathNames = unit.path
    .split('/')
    .filter(Boolean)
    .flatMap((id) => byId.get(Number(id))?.name ?? [])
    .join(' / ');
  const isRoot = unit.parentId === null;
  // The server refuses these too; saying so up front spares a confirmation that can only fail.
  const members = unit.memberCount ?? 0;
  const archiveBlocked =
    childCount > 0
      ? t('org.archiveBlockedChildren', { count: childCount })
      : members > 0
        ? t('org.archiveBlockedMembers', { count: members })
        : null;

  function confirmArchive(unit: OrgUnit) {
    modal.confirm({
      title: t('org.archiveConfirm', { name: unit.name }),
      content: t('org.archiveConfirmHint'),
      okText: t('org.archive'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true },
      onOk: () =>
        archive.mutateAsync({ unit: unit, archived: true }).then(
          () => void message.success(t('org.archived')),
          (e: unknown) => report(e),
        ),
    });
  }

  return (
    <Card
      data-testid="unit-details"
      title={
        <Flex align="center" gap={8} wrap>
          <ApartmentOutlined />
          <span>{unit.name}</span>
          <UnitTypeTag type={unit.type} />
          {unit.archived && <Tag>{t('org.archivedTag')}</Tag>}
        </Flex>
      }
    >
      <Descriptions column={1} size="small" styles={{ label: { width: 140 } }}>
        <Descriptions.Item label={t('org.detail.type')}>{t(`unitType.${unit.type}`)}</Descriptions.Item>
        <Descriptions.Item label={t('org.detail.salesMode')}>
          {unit.salesMode
            ? t(`org.salesMode.${unit.salesMode}`)
            : t('org.salesMode.inherited', { mode: t(`org.salesMode.${unit.effectiveSalesMode}`) })}
        </Descriptions.Item>
        <Descriptions.Item label={t('org.detail.parent')}>{parent?.name ?? t('common.none')}</Descriptions.Item>
        <Descriptions.Item label={t('org.detail.members')}>{unit.memberCount ?? 0}</Descriptions.Item>
        <Descriptions.Item label={t('org.detail.children')}>{childCount}</Descriptions.Item>
        <Descriptions.Item label={t('org.detail.path')}>
          <Typography.Text type="secondary">{pathNames}</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Flex gap={8} wrap style={{ marginTop: 16 }}>
        {canEdit && !unit.archived && (
          <>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => onAddChild(unit)}>
              {t('org.addChild')}
            </Button>
            <Button icon={<EditOutlined />} onClick={() => onEdit(unit)}>
              {t('common.edit')}
            </Button>
            {!isRoot && (
              <Button icon={<SwapOutlined />} onClick={() => onMove(unit)}>
                {t('org.move')}
              </Button>
            )}
            {!isRoot && (
              <Tooltip title={archiveBlocked}>
                {/* A disabled button gets no pointer events: the wrapper takes the hover for the tooltip. */}
                <span
                  style={{ display: 'inline-block', cursor: archiveBlocked ? 'not-allowed' : undefined }}
                  data-testid="unit-archive"
                >
                  <Button
                    danger
                    icon={<InboxOutlined />}
                    disabled={archiveBlocked !== null}
                    onClick={() => confirmArchive(unit)}
                    style={archiveBlocked ? { pointerEvents: 'none' } : undefined}
                  >
                    {t('org.archive')}
                  </Button>
                </span>
              </Tooltip>
            )}
          </>
        )}
        {canEdit && unit.archived && (
          <Button
            icon={<RollbackOutlined />}
            loading={archive.isPending}
            onClick={() =>
              archive.mutate(
                { unit, archived: false },
                { onSuccess: () => message.success(t('org.restored')), onError: (e) => report(e) },
              )
            }
          >
            {t('org.restore')}
          </Button>
        )}
        {!unit.archived && (
          <Button type="link" icon={<TeamOutlined />} onClick={() => navigate(`/settings/users?orgUnitId=${unit.id}`)}>
            {t('org.detail.viewUsers')}
          </Button>
        )}
      </Flex>
    </Card>
  );
}
