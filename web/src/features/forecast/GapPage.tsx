import { Alert, Card, Col, Descriptions, Flex, Row, Statistic, Typography } from 'antd';
import { useMoney } from '../../i18n/money.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useGap } from './api.ts';
import { ExportReport } from './ExportReport.tsx';
import { ReportPending } from './ReportPending.tsx';
import { LineSelect, ScopeBar, useScopeParams } from './ScopeBar.tsx';

const num = (n: number | null) => (n === null ? '—' : Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The live P1–P4 gap (docs/targets.md § Gap analysis P1–P4) of a person or unit and a period. */
export default function GapPage() {
  const t = useT();
  const money = useMoney();
  const [params, set] = useScopeParams();
  const gap = useGap(params);
  const data = gap.data;
  const controls = (
    <Flex gap={8} wrap>
      <ScopeBar params={params} set={set} shown={data?.scope} currentPeriod={data?.period.name} />
      <LineSelect params={params} set={set} />
      <ExportReport report="gap" params={params} />
    </Flex>
  );
  if (gap.isError || !data) return <ReportPending controls={controls} report={gap} onBack={() => set({})} />;
  const covered = data.gap0 <= 0;
  return (
    <Flex vertical gap={16}>
      {controls}
      <Typography.Text type="secondary">
        {t('forecast.viewOf', { scope: data.scope.name, period: data.period.name, left: data.weeksLeft })}
      </Typography.Text>
      {data.quota === 0 && (
        <Alert type="info" showIcon message={t(data.line === null ? 'gap.noQuota' : 'gap.noLineQuota')} />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card title={t('gap.inputs')} style={{ height: '100%' }}>
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'q', label: t('forecast.quota'), children: money(data.quota) },
                { key: 'fi', label: t('gap.finished'), children: money(data.finished) },
                { key: 'co', label: t('gap.commit'), children: money(data.commit) },
                { key: 'nco', label: t('gap.nonCommit'), children: money(data.nonCommit) },
                { key: 'p4', label: t('gap.averageDeal'), children: money(data.averageDeal) },
                {
                  key: 'f',
                  label: t('gap.factors'),
                  children: `P1 ${data.factors.p1}% · P2 ${data.factors.p2}% · P3 ${data.factors.p3}%`,
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t('gap.title')} data-testid="gap-result" style={{ height: '100%' }}>
            <Row gutter={[12, 16]}>
              <Col xs={12} sm={8}>
                <Statistic title={t('gap.gap0')} value={money(data.gap0)} />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic title={t('gap.gap1')} value={money(data.gap1)} />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic title={t('gap.gap2')} value={money(data.gap2)} />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic title={t('gap.gap3')} value={money(data.gap3)} />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic
                  title={t('gap.newAccounts')}
                  value={num(data.newAccounts === null ? null : Math.ceil(data.newAccounts - 1e-9))}
                />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic title={t('gap.perWeek')} value={num(data.newAccountsPerWeek)} data-testid="gap-per-week" />
              </Col>
            </Row>
            <Alert
              style={{ marginTop: 16 }}
              type={covered ? 'success' : data.gap2 <= 0 ? 'info' : 'warning'}
              showIcon
              message={
                covered
                  ? t('gap.covered')
                  : data.gap2 <= 0
                    ? t('gap.coveredByPipeline')
                    : t('gap.needNew', {
                        n: num(data.newAccountsPerWeek === null ? null : Math.ceil(data.newAccountsPerWeek - 1e-9)),
                      })
              }
            />
          </Card>
        </Col>
      </Row>
    </Flex>
  );
}
