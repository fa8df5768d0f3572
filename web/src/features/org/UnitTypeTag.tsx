import { Tag } from 'antd';
import type { OrgUnitType } from '../../api/types.ts';
import { useT } from '../../i18n/useI18n.ts';

const COLORS: Record<OrgUnitType, string> = {
  group: 'geekblue',
  region: 'purple',
  branch: 'blue',
  department: 'cyan',
  team: 'green',
};

export function UnitTypeTag({ type }: { type: OrgUnitType }) {
  const t = useT();
  return (
    <Tag color={COLORS[type]} style={{ marginInlineEnd: 0 }}>
      {t(`unitType.${type}`)}
    </Tag>
  );
}
