import { CompiledQuery, type Compilable, type Kysely } from 'kysely';

/**
 * A stand-in for one argument of a fixed query: it travels through Kysely as a value, lands in
 * the compiled query's parameters, and is swapped for the call's value when the query runs.
 */
class Slot {
  readonly position: number;
  constructor(position: number) {
    this.position = position;
  }
}

/**
 * A query whose shape never changes (the session behind every request, the workspace's
 * settings), built and compiled once per Kysely instance and then run with each call's values.
 * Kysely otherwise builds and compiles a statement's tree on every call: a CPU profile of the
 * desk's requests put building and compiling at ~18% of a request, a fixed read of two joins
 * as much as its own execution (docs/DESIGN.md § Performance). The SQL stays in the
 * repository that builds it; only its compilation is kept.
 *
 * `build` receives one stand-in per argument and must use each (once or more) as a plain bound value (in
 * `where`, `set`, `values`), never inspect it, spread it or put it in an `in` list: the shape
 * may not depend on the values. Kept per Kysely instance (a transaction is one of its own),
 * so each engine's SQL is its own; a Kysely with plugins builds the query on every call.
 */
export function fixedQuery<Args extends unknown[], Row>(
  // Kysely<any>: the repositories' Kysely<Database> and their transactions alike.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  build: (db: Kysely<any>, ...args: Args) => Compilable<Row>,
  arity: Args['length'],
) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const compiled = new WeakMap<Kysely<any>, CompiledQuery<Row>>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return async (db: Kysely<any>, ...args: Args): Promise<Row[]> => {
    // A Kysely with plugins (the SQL tests' recorder) sees and may rewrite every query it runs:
    // built afresh for it, as any other query.
    if (db.getExecutor().plugins.length > 0) return (await db.executeQuery(build(db, ...args))).rows;
    let query = compiled.get(db);
    if (query === undefined) {
      const slots = Array.from({ length: arity }, (_, position) => new Slot(position)) as unknown as Args;
      query = build(db, ...slots).compile();
      const bound = new Set(query.parameters.flatMap((value) => (value instanceof Slot ? [value.position] : [])));
      if (bound.size !== arity)
        throw new Error(`fixedQuery: each of the ${arity} arguments must be bound: ${query.sql}`);
      compiled.set(db, query);
    }
    const parameters = query.parameters.map((value) => (value instanceof Slot ? args[value.position] : value));
    const result = await db.executeQuery<Row>(CompiledQuery.raw(query.sql, parameters) as CompiledQuery<Row>);
    return result.rows;
  };
}
