import { Alert, App, Button, Descriptions, Flex, Popconfirm, Space } from 'antd';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useCancelHandover, useCompleteHandover, type HandoverDetail } from './api.ts';
import { FollowersTable } from './HandoverItems.tsx';

/** The wizard's last step: what still blocks completion, who takes how much, complete or cancel. */

export function ReviewStep({ d: detail, onGoto }: { d: HandoverDetail; onGoto: (step: number) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const navigate = useNavigate();
  const complete = useCompleteHandover(detail.id);
  const cancel = useCancelHandover(detail.id);
  const noSuccessor = detail.missing.filter((m) => m.problem === 'no_successor').length;
  const noNote = detail.missing.filter((m) => m.problem === 'no_note').length;
  const bySuccessor = new Map<string, number>();
  for (const item of detail.items)
    if (item.toUserName) bySuccessor.set(item.toUserName, (bySuccessor.get(item.toUserName) ?? 0) + 1);
  return (
    <>
      {detail.missing.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('handover.blocked')}
          description={
            <Space direction="vertical">
              {noSuccessor > 0 && (
                <a onClick={() => onGoto(1)}>{t('handover.missingSuccessors', { n: noSuccessor })}</a>
              )}
              {noNote > 0 && <a onClick={() => onGoto(2)}>{t('handover.missingNotes', { n: noNote })}</a>}
            </Space>
          }
          data-testid="handover-missing"
        />
      ) : (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('handover.ready')}
          description={t('handover.readyHint', { name: detail.fromUser.name })}
        />
      )}
      <Descriptions bordered size="small" column={1} style={{ marginBottom: 16 }}>
        {[...bySuccessor].map(([name, count]) => (
          <Descriptions.Item key={name} label={name}>
            {t('handover.itemsCount', { n: count })}
          </Descriptions.Item>
        ))}
      </Descriptions>
      <FollowersTable d={detail} />
      <div style={{ height: 16 }} />
      <Flex gap={12}>
        <Popconfirm
          title={t('handover.completeConfirm', { name: detail.fromUser.name })}
          description={t('handover.completeConfirmHint')}
          okText={t('handover.complete')}
          okButtonProps={{ danger: true }}
          cancelText={t('common.cancel')}
          disabled={detail.missing.length > 0}
          onConfirm={() =>
            complete.mutateAsync(detail.version).then(
              () => void message.success(t('handover.completed', { name: detail.fromUser.name })),
              (err: unknown) =>
                isApiError(err) && err.code === 'handover_incomplete'
                  ? void message.warning(t('handover.blocked'))
                  : report(err),
            )
          }
        >
          <Button
            type="primary"
            danger
            disabled={detail.missing.length > 0}
            loading={complete.isPending}
            data-testid="handover-complete"
          >
            {t('handover.complete')}
          </Button>
        </Popconfirm>
        <Popconfirm
          title={t('handover.cancelConfirm')}
          okText={t('handover.cancel')}
          cancelText={t('common.cancel')}
          onConfirm={() =>
            cancel.mutateAsync(detail.version).then(
              () => navigate('/handovers'),
              (e: unknown) => report(e),
            )
          }
        >
          <Button>{t('handover.cancel')}</Button>
        </Popconfirm>
      </Flex>
    </>
  );
}
