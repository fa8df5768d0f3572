/** Simplified Chinese strings of this area (keys prefixed 'accounts.'); merged into i18n/zh-CN.ts. */
export const accountsZhCN = {
} as const;
