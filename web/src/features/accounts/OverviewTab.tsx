import { App, Card, Checkbox, Descriptions, Flex, Grid, Statistic, Switch, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/useI18n.ts';
import { useSetNamed } from './api.ts';
import { useDates } from '../../i18n/useDates.ts';
import { formatFen } from '../../i18n/money.ts';
import { useProblem } from '../../api/useProblem.ts';
import { PhoneLink } from '../../components/ContactLinks.tsx';
import { NAMED_CRITERIA, type AccountDetail, type NamedCriterion } from './types.ts';
import { ReferrerLink } from './AccountPicker.tsx';

/** Named-account checklist (docs/organisation.md): the flag is a manager's call, the criteria any writer's. */
function NamedCard({ account }: { account: AccountDetail }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useProblem();
  const setNamed = useSetNamed();
  const criteria = Object.fromEntries(NAMED_CRITERIA.map((c) => [c, account.namedCriteria[c] === true])) as Record<
    NamedCriterion,
    boolean
  >;
  const met = NAMED_CRITERIA.filter((c) => criteria[c]).length;
  const save = (body: { named?: boolean; criteria?: Record<NamedCriterion, boolean> }) =>
    setNamed.mutate(
      { id: account.id, version: account.version, ...body },
      { onSuccess: () => void message.success(t('common.saved')), onError: (e) => report(e) },
    );
  return (
    <Card
      size="small"
      title={t('accounts.namedCard.title')}
      extra={
        <Tooltip title={account.permissions.manage ? undefined : t('accounts.namedCard.managerOnly')}>
          <Flex gap={8} align="center">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('accounts.named')}
            </Typography.Text>
            <Switch
              size="small"
              checked={account.named}
              disabled={!account.permissions.manage}
              loading={setNamed.isPending}
              onChange={(named) => save({ named })}
            />
          </Flex>
        </Tooltip>
      }
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('accounts.namedCard.hint', { met, total: NAMED_CRITERIA.length })}
      </Typography.Paragraph>
      <Flex vertical gap={6}>
        {NAMED_CRITERIA.map((criterion) => (
          <Checkbox
            key={criterion}
            checked={criteria[criterion]}
            disabled={!account.permissions.edit || setNamed.isPending}
            onChange={(e) => save({ criteria: { ...criteria, [criterion]: e.target.checked } })}
          >
            {t(`accounts.criterion.${criterion}`)}
          </Checkbox>
        ))}
      </Flex>
    </Card>
  );
}

export function OverviewTab({ account }: { account: AccountDetail }) {
  const { t, locale } = useI18n();
  const dates = useDates();
  const screens = Grid.useBreakpoint();
  const none = t('common.none');
  const change =
    account.priorAmount > 0
      ? Math.round(((account.trailingAmount - account.priorAmount) / account.priorAmount) * 100)
      : null;
  return (
    <Flex gap={16} vertical={!screens.lg} align="flex-start">
      <Flex vertical gap={16} style={{ flex: '1 1 auto', minWidth: 0, width: '100%' }}>
        <Card size="small">
          <Flex gap={24} wrap>
            <Statistic title={t('accounts.overview.trailing')} value={formatFen(account.trailingAmount, locale)} />
            <Statistic title={t('accounts.overview.prior')} value={formatFen(account.priorAmount, locale)} />
            {change !== null && (
              <Statistic
                title={t('accounts.overview.trend')}
                value={Math.abs(change)}
                suffix="%"
                prefix={change >= 0 ? <ArrowUpOutlined /> : <ArrowDownOutlined />}
                styles={{ content: { color: change >= 0 ? '#16a34a' : '#dc2626' } }}
              />
            )}
            <Statistic title={t('accounts.col.contacts')} value={account.contactCount} />
          </Flex>
        </Card>
        <Card size="small" title={t('accounts.overview.details')}>
          <Descriptions
            size="small"
            column={screens.md ? 2 : 1}
            items={[
              {
                key: 'credit',
                label: t('accounts.field.creditCode'),
                children: account.creditCode ? (
                  <Typography.Text copyable style={{ fontFamily: 'ui-monospace, monospace' }}>
                    {account.creditCode}
                  </Typography.Text>
                ) : (
                  none
                ),
              },
              {
                key: 'industry',
                label: t('accounts.field.industry'),
                children: account.industry ? t(`accounts.industry.${account.industry}`) : none,
              },
              {
                key: 'size',
                label: t('accounts.field.size'),
                children: account.size ? t(`accounts.size.${account.size}`) : none,
              },
              {
                key: 'lead',
                label: t('accounts.field.leadSource'),
                children: account.leadSource ? t(`accounts.leadSource.${account.leadSource}`) : none,
              },
              {
                key: 'referrer',
                label: t('accounts.field.referrer'),
                children: account.referrerAccountId ? <ReferrerLink accountId={account.referrerAccountId} /> : none,
              },
              {
                key: 'region',
                label: t('accounts.col.region'),
                children: [account.province, account.city, account.district].filter(Boolean).join(' · ') || none,
              },
              { key: 'address', label: t('accounts.field.address'), children: account.address ?? none },
              {
                key: 'phone',
                label: t('accounts.field.phone'),
                children: account.phone ? <PhoneLink number={account.phone} /> : none,
              },
              {
                key: 'web',
                label: t('accounts.field.website'),
                children: account.website ? (
                  <a
                    href={/^https?:\/\//.test(account.website) ? account.website : `https://${account.website}`}
                    target="_blank"
                    rel="noreferrer"
                  >
                    {account.website}
                  </a>
                ) : (
                  none
                ),
              },
              {
                key: 'last',
                label: t('accounts.col.lastFollowUp'),
                children: dates.format(account.lastFollowUpAt) ?? t('accounts.never'),
              },
              { key: 'created', label: t('accounts.overview.created'), children: dates.format(account.createdAt) },
              {
                key: 'notes',
                label: t('accounts.field.notes'),
                span: screens.md ? 2 : 1,
                children: account.notes ? <span style={{ whiteSpace: 'pre-wrap' }}>{account.notes}</span> : none,
              },
            ]}
          />
        </Card>
      </Flex>
      <div style={{ width: screens.lg ? 340 : '100%', flex: 'none' }}>
        <NamedCard account={account} />
      </div>
    </Flex>
  );
}
