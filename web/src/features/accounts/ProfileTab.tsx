import { useEffect } from 'react';
import { Alert, App, Button, Card, DatePicker, Empty, Flex, Form, Input, Skeleton, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useDates } from '../../i18n/useDates.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useProfile, useSaveProfile } from './api.ts';
import { useProblem } from '../../api/useProblem.ts';
import { PROFILE_FIELDS, type AccountDetail, type ProfileField } from './types.ts';

const GROUPS: { title: 'profile' | 'plan'; fields: ProfileField[] }[] = [
  {
    title: 'profile',
    fields: [
      'businessOverview',
      'organisation',
      'decisionProcess',
      'budgetCycle',
      'installedBaseOurs',
      'installedBaseCompetitors',
      'relationshipHistory',
    ],
  },
  { title: 'plan', fields: ['planObjectives', 'planRelationships', 'planResources'] },
];

/** Key-account profile and account plan (重点客户档案, docs/archive.md), kept for A-tier and named accounts. */
export function ProfileTab({ account }: { account: AccountDetail }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const eligible = account.tier === 'A' || account.named;
  const profile = useProfile(account.id, eligible);
  const save = useSaveProfile();
  const dates = useDates();
  const [form] = Form.useForm<Record<ProfileField, string> & { planReviewDate: Dayjs | null }>();
  const readOnly = !account.permissions.edit;

  useEffect(() => {
    if (profile.data)
      form.setFieldsValue({
        ...Object.fromEntries(PROFILE_FIELDS.map((f) => [f, profile.data[f] ?? ''])),
        planReviewDate: dates.pickerDay(profile.data.planReviewDate),
      });
  }, [profile.data, form, dates]);

  if (!eligible)
    return (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={
          <>
            {t('accounts.profile.notEligible')}
            <br />
            {t('accounts.profile.notEligibleHint')}
          </>
        }
      />
    );
  if (profile.isError && !profile.data)
    return <LoadError error={profile.error} onRetry={() => void profile.refetch()} />;
  if (!profile.data) return <Skeleton active paragraph={{ rows: 10 }} />;
  const review = profile.data.planReviewDate;
  const reviewDue = review !== null && review < dates.today();

  return (
    <Form
      form={form}
      layout="vertical"
      disabled={readOnly}
      onFinish={(values) => {
        const body = Object.fromEntries(PROFILE_FIELDS.map((f) => [f, values[f]?.trim() ? values[f].trim() : null]));
        save.mutate(
          {
            id: account.id,
            version: profile.data.version,
            ...body,
            planReviewDate: dates.pickedDay(values.planReviewDate),
          },
          {
            onSuccess: () => void message.success(t('common.saved')),
            onError: (e) => report(e, form),
          },
        );
      }}
    >
      {profile.data.version === 0 && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('accounts.profile.new')} />
      )}
      {reviewDue && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('accounts.profile.reviewDue', { date: review })}
        />
      )}
      <Flex vertical gap={16}>
        {GROUPS.map((group) => (
          <Card key={group.title} size="small" title={t(`accounts.profile.group.${group.title}`)}>
            <Flex gap={12} wrap>
              {group.fields.map((field) => (
                <Form.Item
                  key={field}
                  name={field}
                  label={t(`accounts.profile.${field}`)}
                  style={{ flex: '1 1 320px', marginBottom: 12 }}
                  rules={[{ max: field === 'budgetCycle' ? 1000 : 5000 }]}
                >
                  <Input.TextArea
                    autoSize={{ minRows: 2, maxRows: 8 }}
                    placeholder={t(`accounts.profile.${field}.hint`)}
                  />
                </Form.Item>
              ))}
              {group.title === 'plan' && (
                <Form.Item
                  name="planReviewDate"
                  label={t('accounts.profile.planReviewDate')}
                  style={{ flex: '1 1 320px' }}
                >
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              )}
            </Flex>
          </Card>
        ))}
      </Flex>
      {!readOnly && (
        <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {profile.data.updatedAt
              ? t('accounts.profile.updated', { date: dates.format(profile.data.updatedAt, 'dateTime') })
              : ''}
          </Typography.Text>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Flex>
      )}
    </Form>
  );
}
