import { useState } from 'react';
import { Button, type ButtonProps } from 'antd';
import { FileAddOutlined } from '@ant-design/icons';
import { useT } from '../../i18n/useI18n.ts';
import { VisitPlanDrawer } from './VisitPlanDrawer.tsx';

/** "Plan a visit" where an account or a deal is open, or on the desk: a planned visit with its plan. */
export function PlanVisitButton({
  accountId,
  opportunityId,
  compact,
  ...rest
}: { accountId: number; opportunityId?: number; compact?: boolean } & Omit<ButtonProps, 'onClick'>) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        icon={compact ? undefined : <FileAddOutlined />}
        onClick={() => setOpen(true)}
        data-testid="plan-visit"
        {...rest}
      >
        {t(compact ? 'visits.planShort' : 'visits.plan')}
      </Button>
      {open && <VisitPlanDrawer accountId={accountId} opportunityId={opportunityId} onClose={() => setOpen(false)} />}
    </>
  );
}
