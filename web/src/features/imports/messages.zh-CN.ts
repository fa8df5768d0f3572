/** Simplified Chinese strings of this area (keys prefixed 'imports.'); merged into i18n/zh-CN.ts. */
export const importsZhCN = {
} as const;
