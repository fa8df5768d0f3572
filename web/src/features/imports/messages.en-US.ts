import type { importsZhCN } from './messages.zh-CN.ts';

/** English strings of this area; the type keeps the keys identical to the Chinese. */
export const importsEnUS: Record<keyof typeof importsZhCN, string> = {
};
