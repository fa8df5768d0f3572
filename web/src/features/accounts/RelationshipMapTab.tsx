import { useEffect, useMemo, useRef, useState } from 'react';
import type { GraphSeriesOption } from 'echarts/charts';
import {
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Grid,
  List,
  Progress,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import {
  AlertOutlined,
  EditOutlined,
  PlusOutlined,
  StopOutlined,
  UserDeleteOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { LoadError } from '../../components/LoadError.tsx';
import type { Translate } from '../../i18n/I18nProvider.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { BRAND } from '../../app/theme.ts';
import { useContacts, useRelationshipMap } from './api.ts';
import { ATTITUDE_COLORS, ATTITUDE_TINTS, degreeLabel } from './bits.tsx';
import { ContactFormDrawer } from './ContactFormDrawer.tsx';
import { layoutOrgChart } from './mapLayout.ts';
import { MapChart, type MapChartOption } from './MapChart.tsx';
import { RolesTable } from './RolesTab.tsx';
import { PhoneLink } from '../../components/ContactLinks.tsx';
import type { AccountDetail, Attitude, BuyingRole, Influence, MapGap, RelationshipMapData } from './types.ts';

const X_GAP = 210;
const Y_GAP = 150;
const INFLUENCE_RANK: Record<Influence, number> = { high: 3, medium: 2, low: 1 };
const NODE_SIZE: Record<Influence | 'none', [number]> = { high: [150], medium: [132], low: [118], none: [112] };

/** The role that colours a contact's node: the most influential, an opponent first on ties. */
function leadRole(roles: BuyingRole[]): BuyingRole | undefined {
  return [...roles].sort(
    (left, right) =>
      INFLUENCE_RANK[right.influence] - INFLUENCE_RANK[left.influence] ||
      (left.attitude === 'opposes' ? -1 : right.attitude === 'opposes' ? 1 : 0),
  )[0];
}

const clean = (s: string) => s.replace(/[{}|]/g, ' ');
/** Who on our side holds this contact's relationships (docs/archive.md § Buying roles), named on the card itself. */
const holders = (count: RelationshipMapData['contacts'][number]) =>
  [...new Set(count.roles.map((r) => r.holderName).filter(Boolean))].join('、');
const bar = (degree: number) => '■'.repeat(degree) + '□'.repeat(5 - degree);

function buildOption(
  data: RelationshipMapData,
  translate: Translate,
  touch: boolean,
): { option: MapChartOption; height: number; minWidth: number; focusX: number } {
  const { placed, width, depth } = layoutOrgChart(data.contacts);
  const pos = new Map(placed.map((p) => [p.id, p]));
  const nodes: NonNullable<GraphSeriesOption['data']> = [];
  const links: NonNullable<GraphSeriesOption['links']> = [];

  for (const contact of data.contacts) {
    const position = pos.get(contact.id)!;
    const lead = leadRole(contact.roles);
    const attitude: Attitude | null = lead?.attitude ?? null;
    const size = NODE_SIZE[lead?.influence ?? 'none'];
    const degree = lead ? Math.max(...contact.roles.map((r) => r.relationship)) : 0;
    const roleText = contact.roles.length
      ? [...new Set(contact.roles.map((r) => translate(`accounts.role.${r.role}`)))].join(' · ')
      : translate('accounts.map.noRole');
    const lines = [
      `{name|${clean(contact.name)}}${lead ? ` {inf${lead.influence}|${translate(`accounts.influence.short.${lead.influence}`)}}` : ''}`,
      `{title|${clean(contact.title ?? contact.department ?? '')}}`,
      `{role|${clean(roleText)}}`,
      lead
        ? `{deg${degree}|${bar(degree)}} {degText|${degreeLabel(translate, degree)}${holders(contact) ? ` · ${clean(holders(contact))}` : ''}}`
        : '',
    ];
    nodes.push({
      id: `c${contact.id}`,
      name: contact.name,
      x: position.x * X_GAP,
      y: position.y * Y_GAP,
      // The card is the label itself: its box keeps its size whatever the zoom (docs/archive.md § Buying roles:
      // attitude as colour, influence as size, degree as a 1–5 bar).
      symbol: 'circle',
      symbolSize: 8,
      itemStyle: { color: attitude ? ATTITUDE_COLORS[attitude] : '#cbd5e1' },
      label: {
        show: true,
        position: 'inside',
        formatter: lines.filter(Boolean).join('\n'),
        lineHeight: 19,
        align: 'center',
        width: size[0],
        padding: [8, 10],
        backgroundColor: attitude ? ATTITUDE_TINTS[attitude] : '#ffffff',
        borderColor: attitude ? ATTITUDE_COLORS[attitude] : '#94a3b8',
        borderWidth: lead?.influence === 'high' ? 3 : lead?.influence === 'medium' ? 2 : 1,
        borderType: attitude ? 'solid' : 'dashed',
        borderRadius: 8,
        shadowColor: 'rgba(15,23,42,0.12)',
        shadowBlur: 8,
        shadowOffsetY: 2,
      },
      tooltip: {
        formatter: () =>
          [
            `<b>${escapeHtml(contact.name)}</b> ${escapeHtml(contact.title ?? '')}`,
            ...contact.roles.map(
              (role) =>
                `${escapeHtml(translate(`accounts.role.${role.role}`))}: ${escapeHtml(translate(`accounts.attitude.${role.attitude}`))} · ${escapeHtml(translate(`accounts.influence.${role.influence}`))} · ${role.relationship} ${escapeHtml(degreeLabel(translate, role.relationship))}${role.holderName ? ` · ${escapeHtml(translate('accounts.map.heldBy', { name: role.holderName }))}` : ''}`,
            ),
            `<span style="color:#64748b">${escapeHtml(translate('accounts.map.clickToEdit'))}</span>`,
          ].join('<br/>'),
      },
      contactId: contact.id,
    } as (typeof nodes)[number]);
    if (contact.reportsToId !== null && pos.has(contact.reportsToId)) {
      links.push({
        source: `c${contact.reportsToId}`,
        target: `c${contact.id}`,
        lineStyle: { color: '#94a3b8', width: 1.5, type: 'solid', curveness: 0 },
      });
    }
  }

  // Our people who hold relationships, in a row under the chart, with dashed lines to their contacts.
  const holderY = (depth + 1) * Y_GAP + 30;
  const spread = Math.max(width, data.holders.length) * X_GAP;
  data.holders.forEach((holder, index) => {
    nodes.push({
      id: `u${holder.userId}`,
      name: holder.name,
      x: data.holders.length === 1 ? (width * X_GAP) / 2 : (spread / data.holders.length) * (index + 0.5),
      y: holderY,
      symbol: 'circle',
      symbolSize: 8,
      itemStyle: { color: BRAND },
      label: {
        show: true,
        position: 'inside',
        formatter: `{us|${clean(translate('accounts.map.us'))}} {uname|${clean(holder.name)}}`,
        backgroundColor: '#eff6ff',
        borderColor: BRAND,
        borderWidth: 1.5,
        borderRadius: 16,
        padding: [6, 12],
      },
      tooltip: { formatter: escapeHtml(translate('accounts.map.holderTip', { name: holder.name })) },
    } as (typeof nodes)[number]);
  });
  for (const contact of data.contacts) {
    const held = new Map<number, number>();
    for (const role of contact.roles)
      if (role.holderUserId !== null)
        held.set(role.holderUserId, Math.max(held.get(role.holderUserId) ?? 0, role.relationship));
    for (const [userId, degree] of held) {
      links.push({
        source: `u${userId}`,
        target: `c${contact.id}`,
        lineStyle: { color: BRAND, width: degree >= 4 ? 2.5 : 1.5, type: 'dashed', curveness: 0.12, opacity: 0.7 },
      });
    }
  }

  const degColors = ['#94a3b8', '#94a3b8', '#d97706', '#2563eb', '#16a34a', '#16a34a'];
  const rich: Record<string, object> = {
    name: { fontSize: 14, fontWeight: 'bold', color: '#0f172a' },
    title: { fontSize: 12, color: '#475569' },
    role: { fontSize: 12, color: '#1e3a8a', fontWeight: 500 },
    degText: { fontSize: 11, color: '#475569' },
    us: { fontSize: 11, color: '#fff', backgroundColor: BRAND, borderRadius: 3, padding: [1, 4] },
    uname: { fontSize: 12, color: '#0f172a', fontWeight: 'bold' },
    infhigh: { fontSize: 10, color: '#fff', backgroundColor: '#be185d', borderRadius: 3, padding: [1, 4] },
    infmedium: { fontSize: 10, color: '#fff', backgroundColor: '#ca8a04', borderRadius: 3, padding: [1, 4] },
    inflow: { fontSize: 10, color: '#334155', backgroundColor: '#e2e8f0', borderRadius: 3, padding: [1, 4] },
  };
  for (let degree = 1; degree <= 5; degree++)
    rich[`deg${degree}`] = { fontSize: 11, color: degColors[degree], letterSpacing: 1 };

  // Drawn at 1:1 (cards keep their pixel size, so a squeezed layout would overlap them): the
  // chart is at least as large as the laid-out tree plus its margins, and scrolls sideways
  // on a narrow screen rather than shrink.
  const xs = nodes.map((n) => Number((n as { x: number }).x));
  const ys = nodes.map((n) => Number((n as { y: number }).y));
  const margin = { left: 100, right: 100, top: 60, bottom: data.holders.length ? 40 : 60 };
  return {
    height: Math.max(360, Math.max(...ys) - Math.min(...ys) + margin.top + margin.bottom),
    minWidth: Math.max(...xs) - Math.min(...xs) + margin.left + margin.right,
    // Where the top of the tree is drawn, to open a wide map there rather than at its left edge.
    focusX: margin.left + (topX(placed) * X_GAP - Math.min(...xs)),
    option: {
      tooltip: { trigger: 'item', confine: true },
      series: [
        {
          type: 'graph',
          layout: 'none',
          // On a touch screen one finger scrolls the page and the box; pinch still zooms.
          roam: touch ? 'scale' : true,
          scaleLimit: { min: 0.3, max: 3 },
          nodeScaleRatio: 0,
          ...margin,
          label: { rich },
          emphasis: { focus: 'adjacency', lineStyle: { width: 3 } },
          data: nodes,
          links,
          z: 2,
        },
      ],
      animationDuration: 300,
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

function gapText(gap: MapGap, translate: Translate, names: Map<number, string>): string {
  const role = translate(`accounts.role.${gap.role}`);
  switch (gap.kind) {
    case 'missing_role':
      return gap.role === 'decision_maker'
        ? translate('accounts.gap.noDecisionMaker')
        : translate('accounts.gap.missingRole', { role });
    case 'weak_high_influence':
      return translate('accounts.gap.weakHighInfluence', { name: names.get(gap.contactId) ?? '?', role });
    case 'no_holder':
      return translate('accounts.gap.noHolder', { name: names.get(gap.contactId) ?? '?', role });
    case 'opponent':
      return translate('accounts.gap.opponent', {
        name: names.get(gap.contactId) ?? '?',
        role,
        influence: translate(`accounts.influence.${gap.influence}`),
      });
  }
}

const GAP_ICONS = {
  missing_role: <UserDeleteOutlined />,
  weak_high_influence: <AlertOutlined />,
  no_holder: <UserSwitchOutlined />,
  opponent: <StopOutlined />,
};
const GAP_COLORS = {
  missing_role: '#b45309',
  weak_high_influence: '#be185d',
  no_holder: '#2563eb',
  opponent: '#dc2626',
};

function Legend() {
  const t = useT();
  const swatch = (attitude: Attitude) => (
    <Space size={4} key={attitude}>
      <span
        style={{
          display: 'inline-block',
          width: 16,
          height: 12,
          borderRadius: 3,
          background: ATTITUDE_TINTS[attitude],
          border: `2px solid ${ATTITUDE_COLORS[attitude]}`,
        }}
      />
      {t(`accounts.attitude.${attitude}`)}
    </Space>
  );
  return (
    <Flex gap={16} wrap style={{ fontSize: 12, color: '#475569' }} data-testid="map-legend">
      {(['supports', 'neutral', 'opposes'] as const).map(swatch)}
      <Space size={4}>
        <span
          style={{ display: 'inline-block', width: 16, height: 12, borderRadius: 3, border: '2px dashed #cbd5e1' }}
        />
        {t('accounts.map.legend.noRole')}
      </Space>
      <span>{t('accounts.map.legend.size')}</span>
      <span>
        <span style={{ color: '#16a34a', letterSpacing: 1 }}>■■■■□</span> {t('accounts.map.legend.degree')}
      </span>
      <Space size={4}>
        <span style={{ display: 'inline-block', width: 12, height: 12, borderRadius: 6, background: BRAND }} />
        <span style={{ color: BRAND }}>- - -</span>
        {t('accounts.map.legend.holder')}
      </Space>
      <Space size={4}>
        <span style={{ display: 'inline-block', width: 20, borderTop: '2px solid #94a3b8' }} />
        {t('accounts.map.legend.reportsTo')}
      </Space>
    </Flex>
  );
}

function CoverageCard({ data }: { data: RelationshipMapData }) {
  const t = useT();
  const color = data.coverage >= 70 ? '#16a34a' : data.coverage >= 40 ? '#d97706' : '#dc2626';
  const option = useMemo<MapChartOption>(
    () => ({
      series: [
        {
          type: 'gauge',
          startAngle: 200,
          endAngle: -20,
          min: 0,
          max: 100,
          radius: '95%',
          center: ['50%', '62%'],
          progress: { show: true, width: 14, itemStyle: { color } },
          axisLine: { lineStyle: { width: 14, color: [[1, '#e5e7eb']] } },
          axisTick: { show: false },
          splitLine: { show: false },
          axisLabel: { show: false },
          pointer: { show: false },
          anchor: { show: false },
          title: { show: true, offsetCenter: [0, '38%'], fontSize: 12, color: '#64748b' },
          detail: {
            valueAnimation: false,
            offsetCenter: [0, '-5%'],
            fontSize: 34,
            fontWeight: 'bold',
            color,
            formatter: '{value}',
          },
          data: [{ value: data.coverage, name: t('accounts.map.coverage') }],
        },
      ],
      animation: false,
    }),
    [data.coverage, color, t],
  );
  const parts: { key: 'roles' | 'relationships' | 'support'; weight: number }[] = [
    { key: 'roles', weight: 40 },
    { key: 'relationships', weight: 40 },
    { key: 'support', weight: 20 },
  ];
  return (
    <Card size="small" title={t('accounts.map.coverageTitle')}>
      <div data-testid="coverage-score" data-value={data.coverage}>
        <MapChart option={option} height={170} label={`${t('accounts.map.coverage')} ${data.coverage}`} />
      </div>
      {parts.map((part) => (
        <div key={part.key} style={{ marginBottom: 6 }}>
          <Flex justify="space-between" style={{ fontSize: 12 }}>
            <span>{t(`accounts.map.part.${part.key}`)}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('accounts.map.weight', { n: part.weight })}
            </Typography.Text>
          </Flex>
          <Progress percent={Math.round(data.parts[part.key] * 100)} size="small" strokeColor={BRAND} />
        </div>
      ))}
    </Card>
  );
}

/** The relationship map tab (渔网图): the picture, the gaps and the coverage score (docs/archive.md § Buying roles). */
export function RelationshipMapTab({ account, onAddContact }: { account: AccountDetail; onAddContact: () => void }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const map = useRelationshipMap(account.id);
  const contacts = useContacts(account.id);
  const [selected, setSelected] = useState<number | null>(null);
  const [editingContact, setEditingContact] = useState(false);
  const touch = !screens.md;
  const built = useMemo(
    () => (map.data && map.data.contacts.length ? buildOption(map.data, t, touch) : null),
    [map.data, t, touch],
  );
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (box.current && built) box.current.scrollLeft = Math.max(0, built.focusX - box.current.clientWidth / 2);
  }, [built]);
  const names = useMemo(() => new Map((map.data?.contacts ?? []).map((c) => [c.id, c.name])), [map.data]);

  if (map.isError && !map.data) return <LoadError error={map.error} onRetry={() => void map.refetch()} />;
  if (!map.data) return <Skeleton active paragraph={{ rows: 8 }} />;
  const data = map.data;
  if (data.contacts.length === 0) {
    return (
      <Empty
        style={{ padding: '48px 0' }}
        description={
          <>
            <Typography.Text strong>{t('accounts.map.empty')}</Typography.Text>
            <br />
            {t('accounts.map.emptyHint')}
          </>
        }
        data-testid="map-empty"
      >
        {account.permissions.edit && (
          <Button type="primary" icon={<PlusOutlined />} onClick={onAddContact}>
            {t('accounts.contact.new')}
          </Button>
        )}
      </Empty>
    );
  }
  const contact = data.contacts.find((c) => c.id === selected);

  return (
    <Flex gap={16} vertical={!screens.lg} align="stretch">
      <Card
        size="small"
        style={{ flex: '1 1 auto', minWidth: 0 }}
        title={t('accounts.map.title')}
        extra={
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(touch ? 'accounts.map.hintTouch' : 'accounts.map.hint')}
          </Typography.Text>
        }
      >
        <div
          ref={box}
          style={{
            background: 'radial-gradient(circle, #e2e8f0 1px, transparent 1px)',
            backgroundSize: '18px 18px',
            borderRadius: 6,
            overflowX: 'auto',
          }}
        >
          {built && (
            <MapChart
              option={built.option}
              height={built.height}
              minWidth={built.minWidth}
              label={t('accounts.map.title')}
              testId="relationship-map"
              onNodeClick={(date) => {
                const id = (date as { contactId?: number }).contactId;
                if (id) setSelected(id);
              }}
            />
          )}
        </div>
        <div style={{ marginTop: 8 }}>
          <Legend />
        </div>
      </Card>
      <Flex vertical gap={16} style={{ width: screens.lg ? 320 : '100%', flex: 'none' }}>
        <CoverageCard data={data} />
        <Card
          size="small"
          title={
            <Space>
              {t('accounts.map.gaps')}
              <Tag color={data.gaps.length ? 'error' : 'success'}>{data.gaps.length}</Tag>
            </Space>
          }
        >
          {data.gaps.length === 0 ? (
            <Typography.Text type="success">{t('accounts.map.noGaps')}</Typography.Text>
          ) : (
            <List
              size="small"
              dataSource={data.gaps}
              data-testid="map-gaps"
              renderItem={(gap) => (
                <List.Item
                  style={{ padding: '6px 0', cursor: 'contactId' in gap ? 'pointer' : undefined }}
                  onClick={() => 'contactId' in gap && setSelected(gap.contactId)}
                >
                  <Space align="start" size={8}>
                    <span style={{ color: GAP_COLORS[gap.kind] }}>{GAP_ICONS[gap.kind]}</span>
                    <Typography.Text style={{ fontSize: 13 }} data-gap={gap.kind}>
                      {gapText(gap, t, names)}
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Card>
      </Flex>
      <Drawer
        open={contact !== undefined}
        onClose={() => setSelected(null)}
        size={screens.md ? 720 : '100%'}
        title={contact ? `${contact.name}${contact.title ? ` · ${contact.title}` : ''}` : ''}
        destroyOnHidden
        extra={
          account.permissions.edit &&
          contact && (
            <Button icon={<EditOutlined />} onClick={() => setEditingContact(true)}>
              {t('accounts.contact.edit')}
            </Button>
          )
        }
      >
        {contact && (
          <>
            <Descriptions
              size="small"
              column={screens.sm ? 2 : 1}
              style={{ marginBottom: 16 }}
              items={[
                {
                  key: 'dept',
                  label: t('accounts.contact.department'),
                  children: contact.department ?? t('common.none'),
                },
                {
                  key: 'boss',
                  label: t('accounts.contact.reportsTo'),
                  children: contact.reportsToId
                    ? (names.get(contact.reportsToId) ?? t('common.none'))
                    : t('common.none'),
                },
                {
                  key: 'mobile',
                  label: t('accounts.contact.mobile'),
                  children:
                    (contact.mobile ?? contact.phone) ? (
                      <PhoneLink number={(contact.mobile ?? contact.phone)!} />
                    ) : (
                      t('common.none')
                    ),
                },
                { key: 'wechat', label: t('accounts.contact.wechat'), children: contact.wechat ?? t('common.none') },
                ...(contact.notes
                  ? [{ key: 'notes', label: t('accounts.contact.notes'), children: contact.notes, span: 2 }]
                  : []),
              ]}
            />
            <Typography.Title level={5}>{t('accounts.roles.ofContact')}</Typography.Title>
            <RolesTable account={account} contactId={contact.id} />
          </>
        )}
      </Drawer>
      {editingContact && contact && (
        <ContactFormDrawer
          accountId={account.id}
          contact={contact}
          contacts={contacts.data?.items ?? []}
          onClose={() => setEditingContact(false)}
        />
      )}
    </Flex>
  );
}

/** The x (in slots) of the top of the tree: the middle one of the contacts nobody above them. */
function topX(placed: { x: number; y: number }[]): number {
  const top = Math.min(...placed.map((p) => p.y));
  const roots = placed.filter((p) => p.y === top).sort((a, b) => a.x - b.x);
  return roots[Math.floor(roots.length / 2)]?.x ?? 0;
}
