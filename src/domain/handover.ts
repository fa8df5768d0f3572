import type { Role } from './roles.ts';

/**
 * Handover on departure (离职交接, docs/archive.md) as pure rules: what is inventoried, who may
 * take each kind of item, which notes are required and what still blocks completion.
 */
export const HANDOVER_CATEGORIES = ['account', 'opportunity', 'team', 'relationship', 'territory'] as const;
export type HandoverCategory = (typeof HANDOVER_CATEGORIES)[number];

export const HANDOVER_STATUSES = ['draft', 'completed', 'cancelled'] as const;
export type HandoverStatus = (typeof HANDOVER_STATUSES)[number];

/**
 * Who can take over each kind of item: accounts, opportunities and territories need a
 * seller (rep or manager); a seat on an opportunity team or a customer relationship can
 * also go to presales.
 */
const SUCCESSOR_ROLES: Record<HandoverCategory, readonly Role[]> = {
  account: ['rep', 'manager'],
  opportunity: ['rep', 'manager'],
  team: ['rep', 'manager', 'presales'],
  relationship: ['rep', 'manager', 'presales'],
  territory: ['rep', 'manager'],
};

export function successorRoles(category: HandoverCategory): readonly Role[] {
  return SUCCESSOR_ROLES[category];
}

export function canTakeOver(category: HandoverCategory, role: Role): boolean {
  return SUCCESSOR_ROLES[category].includes(role);
}

/** A key account (A tier or named, docs/archive.md) needs a written handover note. */
export function isKeyAccount(tier: string, named: boolean): boolean {
  return tier === 'A' || named;
}

/** The structured handover note of a key account: state, open issues, key contacts. */
export interface HandoverNote {
  state: string;
  openIssues: string;
  keyContacts: string;
  contactIds: number[];
}

/** Fields of a note still empty; an empty list means the note is complete. */
export function noteGaps(note: HandoverNote | null): (keyof Omit<HandoverNote, 'contactIds'>)[] {
  if (!note) return ['state', 'openIssues', 'keyContacts'];
  const gaps: (keyof Omit<HandoverNote, 'contactIds'>)[] = [];
  if (!note.state.trim()) gaps.push('state');
  if (!note.openIssues.trim()) gaps.push('openIssues');
  if (!note.keyContacts.trim() && note.contactIds.length === 0) gaps.push('keyContacts');
  return gaps;
}

export function parseNote(raw: string | null): HandoverNote | null {
  if (!raw) return null;
  try {
    const note = JSON.parse(raw) as Partial<HandoverNote>;
    return {
      state: note.state ?? '',
      openIssues: note.openIssues ?? '',
      keyContacts: note.keyContacts ?? '',
      contactIds: Array.isArray(note.contactIds) ? note.contactIds : [],
    };
  } catch {
    return null;
  }
}

export interface ItemState {
  itemId: number;
  category: HandoverCategory;
  toUserId: number | null;
  keyAccount: boolean;
  note: HandoverNote | null;
}

export interface Missing {
  itemId: number;
  category: HandoverCategory;
  problem: 'no_successor' | 'no_note';
}

/** What still blocks completion: items without a successor, key accounts without a complete note. */
export function missingForCompletion(items: ItemState[]): Missing[] {
  const out: Missing[] = [];
  for (const item of items) {
    if (item.toUserId === null) out.push({ itemId: item.itemId, category: item.category, problem: 'no_successor' });
    if (item.category === 'account' && item.keyAccount && noteGaps(item.note).length > 0)
      out.push({ itemId: item.itemId, category: item.category, problem: 'no_note' });
  }
  return out;
}

/**
 * Who may hand over whom (docs/organisation.md): an admin anyone else in the workspace; a manager a
 * user whose unit lies in their subtree. Nobody hands over themselves.
 */
export function canHandOver(
  actor: { role: Role; userId: number; unitPath: string },
  target: { id: number; unitPath: string },
): boolean {
  if (target.id === actor.userId) return false;
  if (actor.role === 'admin') return true;
  return actor.role === 'manager' && target.unitPath.startsWith(actor.unitPath);
}

/** Counts per category, for the inventory step and the completion summary. */
export function countByCategory(items: { category: HandoverCategory }[]): Record<HandoverCategory, number> {
  const out = Object.fromEntries(HANDOVER_CATEGORIES.map((c) => [c, 0])) as Record<HandoverCategory, number>;
  for (const item of items) out[item.category] += 1;
  return out;
}
