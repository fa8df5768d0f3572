import { useState } from 'react';
import { Button, type ButtonProps } from 'antd';
import { ScheduleOutlined } from '@ant-design/icons';
import { useT } from '../../i18n/useI18n.ts';
import { LogActivityDrawer } from './LogActivityDrawer.tsx';

/** "Log activity" where an account or a deal is open: one tap opens a drawer that is ready to save. */
export function LogActivityButton({
  accountId,
  opportunityId,
  compact,
  ...rest
}: { accountId?: number; opportunityId?: number; compact?: boolean } & Omit<ButtonProps, 'onClick'>) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<ScheduleOutlined />} onClick={() => setOpen(true)} data-testid="log-activity" {...rest}>
        {t(compact ? 'activities.logButton' : 'activities.log')}
      </Button>
      {open && <LogActivityDrawer accountId={accountId} opportunityId={opportunityId} onClose={() => setOpen(false)} />}
    </>
  );
}
