import { useState } from 'react';
import { Alert, App, Avatar, Button, Empty, Flex, List, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useDates } from '../../i18n/useDates.ts';
import { Link, useNavigate } from 'react-router';
import { useProblem } from '../../api/useProblem.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useSession } from '../auth/session.ts';
import { AttitudeTag, DegreeBar, InfluenceTag } from '../accounts/bits.tsx';
import { useAddTeamMember, useBuyingRoles, usePeople, useRemoveTeamMember } from './api.ts';
import { TEAM_ROLES, type OpportunityDetail, type Stage, type TeamRole } from './types.ts';

/** Instants on these tabs: date and time on the workspace's clock, a dash for none. */
export function useWhen() {
  const dates = useDates();
  return (ms: number | null | undefined) => dates.format(ms, 'dateTime') ?? '—';
}

/**
 * The opportunity team (docs/sales-process.md § The opportunity) with the roles the stage suggests. Its lead (the owner, a
 * manager over it) adds and removes people; any other member may leave.
 */
export function TeamTab({ o: opportunity, stage }: { o: OpportunityDetail; stage: Stage | undefined }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const me = useSession();
  const navigate = useNavigate();
  const people = usePeople();
  const add = useAddTeamMember();
  const remove = useRemoveTeamMember();
  const [userId, setUserId] = useState<number | undefined>();
  const [teamRole, setTeamRole] = useState<TeamRole | undefined>();
  const held = new Set(opportunity.team.map((m) => m.teamRole));
  const suggested = (opportunity.suggestedRoles ?? stage?.roles ?? []).filter((r) => !held.has(r as TeamRole));
  const canEdit = opportunity.permissions.edit && opportunity.status === 'open';
  const canRemove = (match: OpportunityDetail['team'][number]) =>
    match.teamRole !== 'sales_lead' &&
    opportunity.status === 'open' &&
    (canEdit || (opportunity.permissions.contribute && match.userId === me.user.id));
  const removeMember = (match: OpportunityDetail['team'][number]) =>
    remove.mutateAsync({ id: opportunity.id, memberId: match.id }).then((after) => {
      if (after) {
        message.success(t('common.saved'));
        return;
      }
      // Left the team and with it the sight of the deal (docs/organisation.md).
      message.success(t('opps.team.left', { name: opportunity.name }));
      void navigate('/opportunities');
    }, report);
  return (
    <>
      {suggested.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="suggested-roles"
          message={t('opps.team.suggested', { stage: stage?.name ?? '' })}
          description={
            <Space wrap>
              {suggested.map((suggestedRole) => (
                <Tag
                  key={suggestedRole}
                  color="orange"
                  style={{ cursor: canEdit ? 'pointer' : undefined }}
                  onClick={() => canEdit && setTeamRole(suggestedRole as TeamRole)}
                >
                  {t(`opps.teamRole.${suggestedRole}` as 'opps.teamRole.sales_lead')}
                </Tag>
              ))}
            </Space>
          }
        />
      )}
      <List
        dataSource={opportunity.team}
        locale={{ emptyText: t('opps.team.empty') }}
        renderItem={(member) => (
          <List.Item
            actions={
              canRemove(member)
                ? [
                    <Popconfirm
                      key="rm"
                      title={
                        member.userId === me.user.id
                          ? t('opps.team.leaveConfirm')
                          : t('opps.team.removeConfirm', { name: member.userName })
                      }
                      okText={member.userId === me.user.id ? t('opps.team.leave') : t('opps.team.remove')}
                      cancelText={t('common.cancel')}
                      okButtonProps={{ danger: true }}
                      onConfirm={() => removeMember(member)}
                    >
                      <Button
                        size="small"
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={member.userId === me.user.id ? t('opps.team.leave') : t('opps.team.remove')}
                        data-testid={`team-remove-${member.userId}`}
                      />
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              avatar={<Avatar style={{ background: '#6366f1' }}>{member.userName.slice(-2)}</Avatar>}
              title={member.userName}
              description={<Tag>{t(`opps.teamRole.${member.teamRole}`)}</Tag>}
            />
          </List.Item>
        )}
      />
      {canEdit && (
        <Flex gap={8} wrap style={{ marginTop: 12 }}>
          <Select
            showSearch
            optionFilterProp="label"
            style={{ width: 200 }}
            placeholder={t('opps.team.person')}
            value={userId}
            onChange={setUserId}
            loading={people.isPending}
            options={(people.data ?? []).map((u) => ({ value: u.id, label: `${u.name} · ${t(`role.${u.role}`)}` }))}
          />
          <Select
            style={{ width: 160 }}
            placeholder={t('opps.team.role')}
            value={teamRole}
            onChange={setTeamRole}
            options={TEAM_ROLES.map((r) => ({ value: r, label: t(`opps.teamRole.${r}`) }))}
          />
          <Button
            icon={<PlusOutlined />}
            disabled={!userId || !teamRole}
            loading={add.isPending}
            onClick={() =>
              userId &&
              teamRole &&
              add.mutateAsync({ id: opportunity.id, userId, teamRole }).then(() => {
                setUserId(undefined);
                setTeamRole(undefined);
                message.success(t('common.saved'));
              }, report)
            }
          >
            {t('opps.team.add')}
          </Button>
        </Flex>
      )}
    </>
  );
}

/** Who in the customer plays which buying role in this opportunity (docs/archive.md § Buying roles), read from the account area. */
export function BuyingRolesTab({ o: opportunity }: { o: OpportunityDetail }) {
  const t = useT();
  const roles = useBuyingRoles(opportunity.accountId, opportunity.id);
  if (roles.isError) return <LoadError error={roles.error} onRetry={() => void roles.refetch()} />;
  return (
    <>
      <Typography.Paragraph type="secondary">
        {t('opps.roles.hint')}{' '}
        <Link to={`/accounts/${opportunity.accountId}?tab=roles`}>{t('opps.roles.openAccount')}</Link>
      </Typography.Paragraph>
      <Table
        rowKey="id"
        size="small"
        loading={roles.isPending}
        dataSource={roles.data}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('opps.roles.empty')} /> }}
        columns={[
          {
            title: t('opps.roles.contact'),
            dataIndex: 'contactName',
            render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
          },
          {
            title: t('opps.roles.role'),
            dataIndex: 'role',
            render: (row: string) => (
              <Tag color="geekblue">{t(`accounts.role.${row}` as 'accounts.role.decision_maker')}</Tag>
            ),
          },
          {
            title: t('opps.roles.scope'),
            key: 'scope',
            render: (_, record) =>
              record.opportunityId ? (
                <Tag color="blue">{t('opps.roles.thisOpp')}</Tag>
              ) : (
                <Tag>{t('opps.roles.account')}</Tag>
              ),
          },
          { title: t('opps.roles.attitude'), key: 'attitude', render: (_, r) => <AttitudeTag attitude={r.attitude} /> },
          {
            title: t('opps.roles.influence'),
            key: 'influence',
            render: (_, r) => <InfluenceTag influence={r.influence} />,
          },
          { title: t('opps.roles.degree'), key: 'degree', render: (_, r) => <DegreeBar degree={r.relationship} /> },
          {
            title: t('opps.roles.holder'),
            key: 'holder',
            render: (_, r) => r.holderName ?? <Typography.Text type="warning">—</Typography.Text>,
          },
        ]}
      />
    </>
  );
}
