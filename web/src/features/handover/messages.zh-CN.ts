/** Simplified Chinese strings of this area (keys prefixed 'handover.'); merged into i18n/zh-CN.ts. */
export const handoverZhCN = {
} as const;
