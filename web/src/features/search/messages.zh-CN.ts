/** Global search's strings (docs/search.md); merged into i18n/zh-CN.ts. */
export const searchZhCN = {
  'search.placeholder': '搜索客户、联系人、商机',
  'search.open': '搜索',
  'search.shortcut': '按 / 或 Ctrl+K 随时搜索',
  'search.hint':
    '输入公司名、联系人姓名、手机号或邮箱的任意一段；中文一两个字即可，也可输入拼音首字母（如 zw 找到 张伟）。',
  'search.empty': '没有找到「{q}」。试试更短的一段文字、手机号，或拼音首字母。',
  'search.group.accounts': '客户',
  'search.group.contacts': '联系人',
  'search.group.opportunities': '商机',
  'search.count': '{n} 个',
  'search.countCapped': '{n}+ 个',
  'search.viewAll': '在列表中查看全部',
  'search.pool': '公海',
  'search.keys': '↑↓ 选择 · Enter 打开 · Esc 关闭',
  'search.failed': '搜索失败，请稍后再试。',
} as const;
