import type { territoriesZhCN } from './messages.zh-CN.ts';

/** English strings of this area; the type keeps the keys identical to the Chinese. */
export const territoriesEnUS: Record<keyof typeof territoriesZhCN, string> = {
};
