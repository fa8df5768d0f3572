/** Simplified Chinese strings of this area (keys prefixed 'territories.'); merged into i18n/zh-CN.ts. */
export const territoriesZhCN = {
} as const;
