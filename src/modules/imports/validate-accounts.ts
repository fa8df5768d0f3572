import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ColumnMapping } from '../../domain/import-fields.ts';
import {
  validateAccountRow,
  type AccountRowContext,
  type DuplicateMode,
  type InFileDuplicates,
  type RowProblem,
} from '../../domain/import-validate.ts';
import { canEditAccount, type Actor } from '../../domain/policy.ts';
import type { SimilarNameIndex } from '../../domain/similar-names.ts';
import type { Checked, Raw } from './checked-row.ts';
import * as records from './repository/records.ts';
import * as profile from './profile.ts';

/**
 * The dry run's check of a chunk of account rows: values, duplicates in the file (credit code,
 * name) and in the archive (by credit code, else by name), what the importer may edit, and
 * names that resemble an account that exists.
 */
export async function checkAccounts(
  db: Kysely<Database>,
  actor: Actor,
  rows: Raw[],
  mapping: ColumnMapping,
  mode: DuplicateMode,
  ctx: AccountRowContext,
  inFile: InFileDuplicates,
  similar: SimilarNameIndex<number>,
): Promise<Checked[]> {
  const parsed = rows.map((r) => ({ r, ...validateAccountRow(JSON.parse(r.data) as string[], mapping, ctx) }));
  const codes = [...new Set(parsed.flatMap((p) => (p.values?.creditCode ? [p.values.creditCode] : [])))];
  const keys = [...new Set(parsed.flatMap((p) => (p.values?.nameKey ? [p.values.nameKey] : [])))];
  const { byCode, byKey, facts } = await profile.step('check: duplicates looked up', async () => {
    const matching = await records.accountsMatching(db, actor.workspaceId, codes, keys);
    const ids = [...new Set([...matching.byCode, ...matching.byKey].map((a) => a.id))];
    return { ...matching, facts: new Map((await records.visibleFacts(db, actor, ids)).map((f) => [f.id, f])) };
  });
  const codeMap = new Map(byCode.map((a) => [a.credit_code!, a]));
  const editable = (id: number) => {
    const fact = facts.get(id);
    return (
      !!fact &&
      canEditAccount(actor, {
        ownerId: fact.owner_id,
        unitPath: fact.unit_path,
        inPool: fact.in_pool === 1,
        onTeam: Boolean(fact.on_team),
      })
    );
  };
  return parsed.map(({ r: row, values: values, problems }): Checked => {
    const base = { rowNo: row.row_no, data: row.data, targetId: null, duplicate: false };
    if (!values) return { ...base, outcome: 'error', problems };
    const err = (field: string, code: string, message: string, params?: RowProblem['params']): Checked => ({
      ...base,
      duplicate: true,
      outcome: 'error',
      problems: [{ field, code, message, ...(params && { params }) }],
    });
    const again = inFile.check(row.row_no, values.creditCode, values.nameKey);
    if (again?.by === 'creditCode')
      return err('creditCode', 'duplicate_in_file', `same credit code as row ${again.row}`, { row: again.row });
    if (again && mode === 'skip')
      return {
        ...base,
        duplicate: true,
        outcome: 'skip',
        problems: [
          {
            field: 'name',
            code: 'duplicate_in_file',
            message: `same company as row ${again.row}`,
            params: { row: again.row },
          },
        ],
      };
    if (again && mode === 'update')
      return err('name', 'duplicate_in_file', `same company as row ${again.row}`, { row: again.row });
    const byCodeMatch = values.creditCode ? codeMap.get(values.creditCode) : undefined;
    // A same-name account with a different credit code is another company.
    const byName = byKey.filter(
      (byKeyItem) =>
        byKeyItem.name_key === values.nameKey &&
        (!values.creditCode || !byKeyItem.credit_code || byKeyItem.credit_code === values.creditCode),
    );
    const match = byCodeMatch ?? byName[0];
    if (!match) {
      // Created, with a warning when the name resembles an account that exists: the reader decides.
      const like = profile.stepSync('check: look-alikes', () => similar.mostSimilar(values.nameKey));
      if (!like) return { ...base, outcome: 'create', problems: [] };
      const percent = Math.round(like.similarity * 100);
      return {
        ...base,
        outcome: 'create',
        similar: true,
        problems: [
          {
            field: 'name',
            code: 'similar_existing',
            message: `resembles the existing account ${like.name} (${percent}% alike)`,
            params: { name: like.name, percent },
          },
        ],
      };
    }
    const field = byCodeMatch ? 'creditCode' : 'name';
    const how = byCodeMatch ? 'credit code' : 'name';
    if (mode === 'skip') {
      // The name only of an account the importer may see (docs/organisation.md).
      const visible = facts.has(match.id);
      return {
        ...base,
        duplicate: true,
        targetId: visible ? match.id : null,
        outcome: 'skip',
        problems: [
          {
            field,
            code: 'duplicate_existing',
            message: `an account with this ${how} exists: ${visible ? match.name : 'not visible to you'}`,
            ...(visible && { params: { name: match.name } }),
          },
        ],
      };
    }
    if (mode === 'create') {
      if (byCodeMatch)
        return err(
          'creditCode',
          'duplicate_existing',
          'an account with this credit code already exists; credit codes are unique',
          facts.has(match.id) ? { name: match.name } : undefined,
        );
      // Listed with the duplicates (the report's third list) although it will be created.
      return {
        ...base,
        duplicate: true,
        outcome: 'create',
        problems: [
          {
            field,
            code: 'duplicate_existing',
            message: `an account with this ${how} exists; creating another as asked`,
            ...(facts.has(match.id) && { params: { name: match.name } }),
          },
        ],
      };
    }
    if (!byCodeMatch && byName.length > 1)
      return err(
        'name',
        'ambiguous',
        `${byName.length} accounts have this name; add the credit code column to choose`,
        { count: byName.length },
      );
    if (match.archived_at !== null) return err(field, 'archived', 'matches an archived account; restore it first');
    if (!editable(match.id)) return err(field, 'not_editable', `matches an account (by ${how}) that you cannot edit`);
    return {
      ...base,
      duplicate: true,
      outcome: 'update',
      targetId: match.id,
      problems: [
        {
          field,
          code: 'duplicate_existing',
          message: `updates the account ${match.name}`,
          params: { name: match.name },
        },
      ],
    };
  });
}
