import type { accountsZhCN } from './messages.zh-CN.ts';

/** English strings of this area; the type keeps the keys identical to the Chinese. */
export const accountsEnUS: Record<keyof typeof accountsZhCN, string> = {
};
