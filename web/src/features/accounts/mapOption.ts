import type { GraphSeriesOption } from 'echarts/charts';
import type { Translate } from '../../i18n/I18nProvider.tsx';
import { BRAND } from '../../app/theme.ts';
import { ATTITUDE_COLORS, ATTITUDE_TINTS, degreeLabel } from './bits.tsx';
import { layoutOrgChart } from './mapLayout.ts';
import type { MapChartOption } from './MapChart.tsx';
import type { Attitude, BuyingRole, Influence, RelationshipMapData } from './types.ts';

/**
 * The relationship map as a chart: each contact a card placed by mapLayout.ts, our people who
 * hold relationships in a row beneath, and the size the chart needs to draw it at 1:1.
 */

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

export function buildOption(
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

/** The x (in slots) of the top of the tree: the middle one of the contacts nobody above them. */
function topX(placed: { x: number; y: number }[]): number {
  const top = Math.min(...placed.map((p) => p.y));
  const roots = placed.filter((p) => p.y === top).sort((a, b) => a.x - b.x);
  return roots[Math.floor(roots.length / 2)]?.x ?? 0;
}
