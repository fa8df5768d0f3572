import type { contactsZhCN } from './messages.zh-CN.ts';

/** English strings of the contact list; the same keys as messages.zh-CN.ts. */
export const contactsEnUS: Record<keyof typeof contactsZhCN, string> = {
  'nav.contacts': 'Contacts',
  'contacts.title': 'Contacts',
  'contacts.subtitle':
    'Every contact of the accounts you can see: filter by owner, unit, tier and buying role, save views, export the list.',
  'contacts.searchPlaceholder': 'Name, phone, email or company',
  'contacts.col.name': 'Name / title',
  'contacts.col.account': 'Account',
  'contacts.col.department': 'Department',
  'contacts.col.phone': 'Phone',
  'contacts.col.email': 'Email',
  'contacts.col.wechat': 'WeChat',
  'contacts.col.owner': 'Account owner',
  'contacts.filter.owner': 'Account owner',
  'contacts.filter.tier': 'Account tier',
  'contacts.filter.role': 'Buying role',
  'contacts.filter.hasPhone': 'Has a phone',
  'contacts.empty.none': 'No contacts yet',
  'contacts.empty.noneHint': "Add contacts on an account's Contacts tab, or import them from Excel with your accounts.",
  'contacts.empty.filtered': 'No contact matches',
  'contacts.empty.toAccounts': 'Go to accounts',
};
