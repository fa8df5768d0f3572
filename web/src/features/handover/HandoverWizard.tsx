import { useEffect, useState } from 'react';
import { Button, Card, Col, Descriptions, Flex, Result, Row, Statistic, Steps, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { useDates } from '../../i18n/useDates.ts';
import { FullPageSpinner } from '../../components/FullPageSpinner.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { CATEGORIES, useHandover, type HandoverDetail } from './api.ts';
import { catLabel, ItemsTable } from './HandoverItems.tsx';
import { InventoryStep, NotesStep, SuccessorsStep } from './HandoverSteps.tsx';
import { ReviewStep } from './ReviewStep.tsx';

/** The handover wizard (离职交接, docs/archive.md): inventory → successors → key-account notes → review and complete. */
export default function HandoverWizard() {
  const t = useT();
  const id = Number(useParams().id);
  const handover = useHandover(id);
  const [step, setStep] = useState(0);
  // A step starts at its top: "next" sits below a long table, so the page would stay at the bottom.
  // Braces: Chromium's scrollTo may return a promise, which React would take for a clean-up.
  useEffect(() => {
    window.scrollTo({ top: 0 });
  }, [step]);
  if (handover.isPending) return <FullPageSpinner />;
  if (handover.isError) return <LoadError error={handover.error} onRetry={() => void handover.refetch()} />;
  const detail = handover.data;
  const title = t('handover.titleFor', { name: detail.fromUser.name });
  if (detail.status !== 'draft') return <CompletedView d={detail} title={title} />;
  return (
    <>
      <PageHeader
        title={title}
        subtitle={t('handover.subtitle', { unit: detail.fromUser.orgUnitName, email: detail.fromUser.email })}
        extra={<Link to="/handovers">{t('handover.backToList')}</Link>}
      />
      <Steps
        current={step}
        onChange={setStep}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('handover.step.inventory') },
          { title: t('handover.step.successors') },
          { title: t('handover.step.notes') },
          { title: t('handover.step.review') },
        ]}
        data-testid="handover-steps"
      />
      {step === 0 && <InventoryStep d={detail} />}
      {step === 1 && <SuccessorsStep d={detail} />}
      {step === 2 && <NotesStep d={detail} />}
      {step === 3 && <ReviewStep d={detail} onGoto={setStep} />}
      <Flex justify="space-between" style={{ marginTop: 24 }}>
        <Button disabled={step === 0} onClick={() => setStep(step - 1)}>
          {t('handover.prev')}
        </Button>
        {step < 3 && (
          <Button type="primary" onClick={() => setStep(step + 1)} data-testid="handover-next">
            {t('handover.next')}
          </Button>
        )}
      </Flex>
    </>
  );
}

function CompletedView({ d: detail, title }: { d: HandoverDetail; title: string }) {
  const t = useT();
  const dates = useDates();
  const keys = detail.items.filter((i) => i.keyAccount && i.note);
  return (
    <>
      <PageHeader title={title} extra={<Link to="/handovers">{t('handover.backToList')}</Link>} />
      <Result
        status={detail.status === 'completed' ? 'success' : 'info'}
        title={
          detail.status === 'completed'
            ? t('handover.doneTitle', { name: detail.fromUser.name })
            : t('handover.cancelledTitle')
        }
        subTitle={
          detail.status === 'completed'
            ? t('handover.doneSub', {
                when: dates.format(detail.completedAt, 'dateTime') ?? '',
                by: detail.createdByName ?? '',
              })
            : undefined
        }
        style={{ padding: '16px 0' }}
      />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {CATEGORIES.map((category) => (
          <Col key={category} xs={12} md={8} lg={4}>
            <Card size="small">
              <Statistic title={t(catLabel(category))} value={detail.counts[category]} />
            </Card>
          </Col>
        ))}
      </Row>
      <ItemsTable d={detail} />
      {keys.length > 0 && (
        <Typography.Title level={5} style={{ marginTop: 24 }}>
          {t('handover.step.notes')}
        </Typography.Title>
      )}
      {keys.map((item) => (
        <Card key={item.id} size="small" title={item.label} style={{ marginBottom: 12 }}>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('handover.note.state')}>{item.note!.state}</Descriptions.Item>
            <Descriptions.Item label={t('handover.note.openIssues')}>{item.note!.openIssues}</Descriptions.Item>
            <Descriptions.Item label={t('handover.note.keyContactsText')}>
              {item.note!.keyContacts || t('common.none')}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      ))}
    </>
  );
}
