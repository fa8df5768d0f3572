import { BULK_MATCH_LIMIT, type BulkRefusal } from '../contracts/bulk.ts';
import { AppError, fieldError, invalid } from '../server/problem.ts';
import { inBatches } from '../db/batches.ts';

/**
 * The all-or-nothing check every bulk action makes before it writes (src/contracts/bulk.ts): the
 * selection without repeats, read in batches; an id the caller cannot see answers 400 naming its
 * place in `ids` (as any id in a body, docs/DESIGN.md § Ids in requests); a row they see but may
 * not change answers 403 listing every such row and why.
 */
export async function checkSelection<Row extends { id: number }>(
  ids: readonly number[],
  read: (batch: number[]) => Promise<Row[]>,
  refusal: (row: Row) => BulkRefusal['reason'] | null,
  /** Where the ids came from: `ids` in a body, `query.ids` in an export's query string. */
  field = 'ids',
): Promise<{ ids: number[]; rows: Row[] }> {
  const unique = [...new Set(ids)];
  const rows = await inBatches(unique, read);
  const seen = new Set(rows.map((row) => row.id));
  const unseen = ids.map((id, index) => ({ id, index })).filter(({ id }) => !seen.has(id));
  if (unseen.length)
    throw new AppError('validation_failed', `no row with id ${unseen.map(({ id }) => id).join(', ')}`, {
      errors: unseen.map(({ id, index }) =>
        fieldError(`${field}.${index}`, { code: 'not_found', params: { id } }, `no row with id ${id}`),
      ),
    });
  const refused = rows.flatMap((row) => {
    const reason = refusal(row);
    return reason ? [{ id: row.id, reason }] : [];
  });
  if (refused.length)
    throw new AppError('bulk_refused', `${refused.length} of the selected rows cannot be changed by you`, {
      params: { refused },
    });
  return { ids: unique, rows };
}

/**
 * The ids a bulk action applies to: those sent, or — "select all N matching" — every row the
 * list's filter gives the caller, read by `matching` (the list's own filter and scope, at most
 * `limit` rows). More than BULK_MATCH_LIMIT is 400 `over_limit` on `match`: narrow the filter.
 */
export async function selectionIds(
  input: { ids?: number[] | undefined; match?: object | undefined },
  matching: (limit: number) => Promise<number[]>,
): Promise<number[]> {
  if (input.ids) return input.ids;
  const ids = await matching(BULK_MATCH_LIMIT + 1);
  if (ids.length > BULK_MATCH_LIMIT)
    throw invalid(
      'match',
      { code: 'over_limit', params: { max: BULK_MATCH_LIMIT } },
      `the filter matches more than ${BULK_MATCH_LIMIT} rows: narrow it`,
    );
  return ids;
}
