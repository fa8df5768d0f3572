import type { ReactNode } from 'react';
import { Card, Flex, Grid, Typography } from 'antd';
import { CheckCircleFilled } from '@ant-design/icons';
import { Brand } from '../../components/Brand.tsx';
import { LanguageSwitch } from '../../app/shell/LanguageSwitch.tsx';
import { useT } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';

const FEATURES: MessageKey[] = ['signIn.feature.archive', 'signIn.feature.process', 'signIn.feature.funnel'];

/** The frame of the signed-out pages: the product's promise on the left, the form on the right. */
export function AuthLayout({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const wide = screens.lg;

  return (
    <Flex style={{ minHeight: '100vh' }}>
      {wide && (
        <Flex
          vertical
          justify="space-between"
          style={{
            flex: '0 0 44%',
            padding: '48px 56px',
            color: '#fff',
            background: 'linear-gradient(150deg, #0f172a 0%, #1e3a8a 60%, #1d4ed8 100%)',
          }}
        >
          <Brand dark size={22} />
          <div style={{ maxWidth: 460 }}>
            <Typography.Title level={2} style={{ color: '#fff', marginBottom: 12 }}>
              {t('app.tagline')}
            </Typography.Title>
            <Typography.Paragraph style={{ color: 'rgba(255,255,255,0.78)', fontSize: 15, marginBottom: 32 }}>
              {t('app.pitch')}
            </Typography.Paragraph>
            <Flex vertical gap={14}>
              {FEATURES.map((feature) => (
                <Flex key={feature} gap={10} align="baseline">
                  <CheckCircleFilled style={{ color: '#93c5fd' }} />
                  <span style={{ color: 'rgba(255,255,255,0.9)' }}>{t(feature)}</span>
                </Flex>
              ))}
            </Flex>
          </div>
          <Typography.Text style={{ color: 'rgba(255,255,255,0.55)' }}>{t('signIn.footer')}</Typography.Text>
        </Flex>
      )}
      <Flex vertical style={{ flex: 1, minWidth: 0 }}>
        <Flex justify={wide ? 'flex-end' : 'space-between'} align="center" style={{ padding: '16px 24px' }}>
          {!wide && <Brand size={18} />}
          <LanguageSwitch />
        </Flex>
        <Flex align="center" justify="center" style={{ flex: 1, padding: '16px 16px 64px' }}>
          <Card
            variant="borderless"
            style={{ width: '100%', maxWidth: 420, boxShadow: '0 8px 30px rgba(15,23,42,0.08)' }}
            styles={{ body: { padding: 32 } }}
          >
            {!wide && (
              <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
                {t('app.tagline')}
              </Typography.Paragraph>
            )}
            <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }}>
              {title}
            </Typography.Title>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 24 }}>
              {subtitle}
            </Typography.Paragraph>
            {children}
          </Card>
        </Flex>
      </Flex>
    </Flex>
  );
}
