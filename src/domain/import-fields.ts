/**
 * The columns of the customer archive that can be imported and exported (docs/archive.md § Import and export):
 * the kinds of import, their fields and which are required. Their headers are in import-headers.ts, the
 * readable labels of coded values in coded-labels.ts, the words an import accepts for them in
 * import-vocabulary.ts. Pure data and functions.
 */
export const IMPORT_KINDS = ['accounts', 'contacts', 'purchases', 'opportunities'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export type Lang = 'zh-CN' | 'en-US';

export const ACCOUNT_IMPORT_FIELDS = [
  'name',
  'creditCode',
  'industry',
  'province',
  'city',
  'district',
  'address',
  'size',
  'website',
  'phone',
  'leadSource',
  'status',
  'ownerEmail',
  // A named (key) account: it goes to the key-account team when created (docs/organisation.md § Sales modes).
  'named',
  'notes',
] as const;
export const CONTACT_IMPORT_FIELDS = [
  'accountName',
  'accountCreditCode',
  'name',
  'title',
  'department',
  'reportsTo',
  'mobile',
  'phone',
  'email',
  'wechat',
  'birthday',
  'notes',
] as const;
/** Purchase history from another system: what an account bought, when, for how much. */
export const PURCHASE_IMPORT_FIELDS = [
  'accountName',
  'accountCreditCode',
  'purchasedOn',
  'amount',
  'product',
  'notes',
] as const;
/**
 * Open and closed deals from another system (docs/sales-process.md § Import of opportunities): the
 * account (name or credit code), the deal, its process and stage by name in either language, the
 * owner by email or name, and how it ended.
 */
export const OPPORTUNITY_IMPORT_FIELDS = [
  'accountName',
  'accountCreditCode',
  'name',
  'process',
  'stage',
  'amount',
  'expectedCloseDate',
  'owner',
  'dealStatus',
  'lossReason',
  'competitor',
  'leadSource',
  'products',
  'description',
] as const;
export type AccountImportField = (typeof ACCOUNT_IMPORT_FIELDS)[number];
export type OpportunityImportField = (typeof OPPORTUNITY_IMPORT_FIELDS)[number];
export type ContactImportField = (typeof CONTACT_IMPORT_FIELDS)[number];
export type PurchaseImportField = (typeof PURCHASE_IMPORT_FIELDS)[number];
export type ImportField = AccountImportField | ContactImportField | PurchaseImportField | OpportunityImportField;

const FIELDS_OF: Record<ImportKind, readonly ImportField[]> = {
  accounts: ACCOUNT_IMPORT_FIELDS,
  contacts: CONTACT_IMPORT_FIELDS,
  purchases: PURCHASE_IMPORT_FIELDS,
  opportunities: OPPORTUNITY_IMPORT_FIELDS,
};
export const importFields = (kind: ImportKind): readonly ImportField[] => FIELDS_OF[kind];

/** Field → column index in the file (0-based); unmapped fields are absent or null. */
export type ColumnMapping = Partial<Record<ImportField, number | null>>;

/**
 * Required fields: an account needs a name; a contact needs a name and a way to find its
 * account (the account's name or its credit code). Answers the missing ones.
 */
export function missingRequired(kind: ImportKind, mapping: ColumnMapping): string[] {
  const has = (f: ImportField) => typeof mapping[f] === 'number';
  const missing: string[] = [];
  if (kind !== 'purchases' && !has('name')) missing.push('name');
  if (kind !== 'accounts' && !has('accountName') && !has('accountCreditCode'))
    missing.push('accountName|accountCreditCode');
  if (kind === 'purchases')
    for (const field of ['purchasedOn', 'amount'] as const) if (!has(field)) missing.push(field);
  if (kind === 'opportunities')
    for (const field of ['amount', 'expectedCloseDate'] as const) if (!has(field)) missing.push(field);
  return missing;
}
