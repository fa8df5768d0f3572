import { Button, Card, Flex, List, Tag, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useT } from '../i18n/useI18n.ts';
import { AREA_ICONS, areaText, type ComingArea } from './areas.tsx';

/** An area not built yet: says what it will do and what to prepare meanwhile. */
export function ComingSoonPage({ area }: { area: ComingArea }) {
  const t = useT();
  const navigate = useNavigate();
  const text = areaText(area);
  return (
    <Card data-testid={`coming-${area}`}>
      <Flex vertical align="center" style={{ textAlign: 'center', padding: '40px 8px', maxWidth: 620, margin: '0 auto' }}>
        <div style={{ fontSize: 40, color: '#1d4ed8', background: '#eff6ff', borderRadius: 20, width: 80, height: 80, display: 'grid', placeItems: 'center' }}>
          {AREA_ICONS[area]}
        </div>
        <Typography.Title level={3} style={{ marginTop: 20, marginBottom: 8 }}>
          {t(text.title)} <Tag color="blue" style={{ verticalAlign: 'middle', marginInlineStart: 8 }}>{t('common.comingSoon')}</Tag>
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ fontSize: 15 }}>
          {t(text.summary)}
        </Typography.Paragraph>
        <List
          style={{ textAlign: 'start', margin: '8px 0 24px' }}
          dataSource={text.points}
          split={false}
          renderItem={(k) => (
            <List.Item style={{ padding: '4px 0' }}>
              <Flex gap={10}>
                <CheckOutlined style={{ color: '#16a34a' }} />
                {t(k)}
              </Flex>
            </List.Item>
          )}
        />
        <Typography.Paragraph type="secondary">{t('area.emptyHint')}</Typography.Paragraph>
        <Button type="primary" onClick={() => navigate('/settings')}>
          {t('area.goSettings')}
        </Button>
      </Flex>
    </Card>
  );
}
