/** The search index (migration 0018, docs/search.md): written only by triggers, read by src/modules/search. */
export interface SearchGramTable {
  workspace_id: number;
  /** Two characters of a lowered text (one at its end); kind `ap`/`cp`/`op` holds pinyin initials. */
  gram: string;
  kind: string;
  /** The record's place in its group's order (migration 0034): open deals first, then the name's length. */
  sort_key: number;
  /** The org unit whose subtree sees the record (a contact: its account's), migration 0043. */
  unit_id: number;
  record_id: number;
}

/** A record an import wrote without its grams, waiting for the indexing job (migration 0048). */
export interface SearchPendingTable {
  workspace_id: number;
  /** a, c or o: the record's table (src/db/migrations/0018_search_index.ts SEARCHED). */
  kind: string;
  record_id: number;
  import_job_id: number | null;
}

export interface SearchTables {
  search_grams: SearchGramTable;
  search_pending: SearchPendingTable;
  /** Raised by an import inside its own transaction: its records' grams are deferred (migration 0048). */
  search_defer: { import_job_id: number };
}
