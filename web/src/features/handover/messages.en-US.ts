import type { handoverZhCN } from './messages.zh-CN.ts';

/** English strings of this area; the type keeps the keys identical to the Chinese. */
export const handoverEnUS: Record<keyof typeof handoverZhCN, string> = {
};
