import { Tag } from 'antd';
import type { Role } from '../api/types.ts';
import { useT } from '../i18n/useI18n.ts';

const COLORS: Record<Role, string> = {
  admin: 'magenta',
  executive: 'volcano',
  manager: 'gold',
  rep: 'blue',
  presales: 'cyan',
  auditor: 'purple',
  finance: 'green',
};

export function RoleTag({ role }: { role: Role }) {
  const t = useT();
  return (
    <Tag color={COLORS[role]} variant="filled">
      {t(`role.${role}`)}
    </Tag>
  );
}
