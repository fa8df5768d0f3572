import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { BusinessLine } from '../domain/business-lines.ts';
import { saveSettings, settingsRow } from '../modules/rules/repository.ts';

/**
 * The demo company's business lines (docs/targets.md § Business lines): the products its deals
 * sell (src/demo/accounts.ts, DEMO_PRODUCTS) fall into software, automation equipment and
 * consulting with services, so the funnel, the gap and the forecast by line and the attainment
 * by line have a story on first start. Set as an administrator would have in Settings → Rules,
 * before the funnel's totals are counted (they are keyed by line).
 */
export const DEMO_LINES: readonly BusinessLine[] = [
  {
    key: 'software',
    nameZh: '工业软件',
    nameEn: 'Industrial software',
    products: ['MES 系统', '设备联网平台', '能源管理系统'],
  },
  {
    key: 'automation',
    nameZh: '自动化装备',
    nameEn: 'Automation equipment',
    products: ['工业机器人工作站', '视觉检测系统', '产线自动化改造', 'AGV 物流系统', '智能仓储'],
  },
  {
    key: 'services',
    nameZh: '咨询与服务',
    nameEn: 'Consulting and services',
    products: ['数字化工厂咨询', '预测性维护'],
  },
];

export async function seedDemoLines(db: Kysely<Database>, workspaceId: number): Promise<void> {
  const row = await settingsRow(db, workspaceId);
  const stored = JSON.parse(row.settings || '{}') as Record<string, unknown>;
  await saveSettings(db, workspaceId, row.version, JSON.stringify({ ...stored, businessLines: DEMO_LINES }));
}
