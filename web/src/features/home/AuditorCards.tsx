import { Button, Col, Flex, List, Row, Typography } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { useDates } from '../../i18n/useDates.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useCallbacks } from '../callbacks/api.ts';
import { DeskCard, SHOWN } from './Desk.tsx';
import { TodayCard } from './RepCards.tsx';

/** The auditor's home: the callbacks assigned to them, oldest visit first, and their day. */
export function AuditorCards() {
  const t = useT();
  const dates = useDates();
  const callbacks = useCallbacks({ state: 'open', sort: 'visitAt', limit: SHOWN, offset: 0 });
  return (
    <Row gutter={[20, 20]} data-testid="auditor-cards">
      <Col xs={24} xl={14}>
        <DeskCard
          testId="home-auditor-callbacks"
          icon={<PhoneOutlined style={{ color: '#1d4ed8' }} />}
          title={t('home.auditor.title')}
          query={callbacks}
          more="/rhythm/callbacks"
          empty={t('home.auditor.empty')}
          render={(callback) => {
            const contact = callback.contacts[0];
            const number = contact?.mobile ?? contact?.phone ?? null;
            return (
              <List.Item key={callback.id}>
                <Flex vertical style={{ minWidth: 0, width: '100%' }}>
                  <Flex justify="space-between" gap={8} wrap>
                    <Typography.Text strong>{callback.account.name}</Typography.Text>
                    {contact && number && (
                      <Button size="small" icon={<PhoneOutlined />} href={`tel:${number}`}>
                        {t('home.auditor.call', { name: contact.name })}
                      </Button>
                    )}
                  </Flex>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {callback.rep.name} ·{' '}
                    {t('home.callbacks.visitOn', { date: dates.format(callback.visit.startAt, 'monthDay') })}
                  </Typography.Text>
                </Flex>
              </List.Item>
            );
          }}
        />
      </Col>
      <Col xs={24} xl={10}>
        <TodayCard />
      </Col>
    </Row>
  );
}
