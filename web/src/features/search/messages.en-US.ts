import type { searchZhCN } from './messages.zh-CN.ts';

/** English strings of global search; the same keys as messages.zh-CN.ts. */
export const searchEnUS: Record<keyof typeof searchZhCN, string> = {
  'search.placeholder': 'Search accounts, contacts, deals',
  'search.open': 'Search',
  'search.shortcut': 'Press / or Ctrl+K to search from anywhere',
  'search.hint':
    "Type any part of a company name, a contact's name, a phone number or an email; one or two Chinese characters are enough, and pinyin initials of Chinese names work too (zw finds Zhang Wei).",
  'search.empty': 'Nothing matches “{q}”. Try a shorter piece of the name, a phone number or pinyin initials.',
  'search.group.accounts': 'Accounts',
  'search.group.contacts': 'Contacts',
  'search.group.opportunities': 'Deals',
  'search.count': '{n}',
  'search.countCapped': '{n}+',
  'search.viewAll': 'See all in the list',
  'search.pool': 'Pool',
  'search.keys': '↑↓ choose · Enter open · Esc close',
  'search.failed': 'Search failed; please try again.',
};
