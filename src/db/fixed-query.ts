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
 * may not depend on the values. Kept per database (keptFor: a transaction shares its database's),
 * so each engine's SQL is its own; a Kysely with plugins builds the query on every call.
 */
/**
 * The texts of the fixed queries and of the shaped queries asked to run on a generic plan, each
 * with a name: on PostgreSQL each connection keeps them prepared under it (src/db/database.ts),
 * so they are parsed once per connection instead of at every call — planning the session's
 * four-table join took 0.22–0.29 ms of the server's time against 0.02 ms to run it, before
 * every request.
 */
export interface PreparedStatement {
  name: string;
  /** Run on PostgreSQL's generic plan, planned once per connection (shapedQueries' genericPlan). */
  generic: boolean;
}
const prepared = new Map<string, PreparedStatement>();

/** How a fixed or shaped query's text is prepared, or undefined for any other statement. */
export function preparedStatementOf(text: string): PreparedStatement | undefined {
  return prepared.get(text);
}

function prepareUnderName(text: string, generic: boolean) {
  if (!prepared.has(text))
    prepared.set(text, { name: `keyline_${generic ? 'generic' : 'fixed'}_${prepared.size + 1}`, generic });
}

/**
 * What a compiled query is kept under: the database's adapter, which a Kysely shares with its
 * transactions (each transaction is a Kysely of its own, so kept per Kysely they were compiled
 * again in every transaction) and which differs between databases, so each engine's SQL is its own.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const keptFor = (db: Kysely<any>): object => db.getExecutor().adapter;

export function fixedQuery<Args extends unknown[], Row>(
  // Kysely<any>: the repositories' Kysely<Database> and their transactions alike.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  build: (db: Kysely<any>, ...args: Args) => Compilable<Row>,
  arity: Args['length'],
) {
  const compiled = new WeakMap<object, CompiledQuery<Row>>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return async (db: Kysely<any>, ...args: Args): Promise<Row[]> => {
    // A Kysely with plugins (the SQL tests' recorder) sees and may rewrite every query it runs:
    // built afresh for it, as any other query.
    if (db.getExecutor().plugins.length > 0) return (await db.executeQuery(build(db, ...args))).rows;
    let query = compiled.get(keptFor(db));
    if (query === undefined) {
      const slots = Array.from({ length: arity }, (_, position) => new Slot(position)) as unknown as Args;
      query = build(db, ...slots).compile();
      const bound = new Set(query.parameters.flatMap((value) => (value instanceof Slot ? [value.position] : [])));
      if (bound.size !== arity)
        throw new Error(`fixedQuery: each of the ${arity} arguments must be bound: ${query.sql}`);
      compiled.set(keptFor(db), query);
      prepareUnderName(query.sql, false);
    }
    const parameters = query.parameters.map((value) => (value instanceof Slot ? args[value.position] : value));
    const result = await db.executeQuery<Row>(CompiledQuery.raw(query.sql, parameters) as CompiledQuery<Row>);
    return result.rows;
  };
}

/**
 * A stand-in for one value of a shaped query: like Slot, but refuses to be turned into text or
 * a number, so a build that computes with a value instead of binding it fails (and the call is
 * built afresh) rather than caching a statement made of the stand-in.
 */
class ShapeSlot extends Slot {
  [Symbol.toPrimitive](): never {
    throw new Error('shapedQueries: a value stood in for was used as more than a bound value');
  }
  toJSON(): never {
    return this[Symbol.toPrimitive]();
  }
}

/** The compiled form of each query of a tuple. */
export type CompiledTuple<Queries extends readonly unknown[]> = {
  -readonly [K in keyof Queries]: Queries[K] extends Compilable<infer Row> ? CompiledQuery<Row> : never;
};

/** A key for the shape of the arguments: every value but the stood-in ones (written `?`) counts. */
function shapeKey(value: unknown): string {
  if (value instanceof ShapeSlot) return '?';
  if (Array.isArray(value)) return `[${value.map(shapeKey).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .map(([name, field]) => `${name}:${shapeKey(field)}`)
      .join(',')}}`;
  return value === undefined ? 'u' : JSON.stringify(value);
}

/** How many shapes each shaped query keeps per Kysely instance (the least recently used leaves). */
const SHAPES_KEPT = 200;

/**
 * Queries whose shape follows a few choices of the call — the caller's reach and unit, which
 * filters are set, the sort — while the ids, instants and bounds change on every call: a desk
 * card's list and its count. Built and compiled once per shape and database, then run with
 * each call's values (fixedQuery above for why; a profile of a desk card with its SQL answered
 * from memory put Kysely's building and compiling at a third of the request's own CPU), as
 * named statements on PostgreSQL.
 *
 * `values` returns the arguments with each value that is only ever bound passed through
 * `stand` (ids, instants, dates, limits), or null to build this call afresh (a text search
 * that reads the search index while building, say). Everything not stood in for is part of
 * the shape's key, so a build may branch on it. `stand` keeps falsy values (0, '', undefined)
 * as they are, in the key: a build may test whether a value is set. A stood-in value used as
 * more than a bound value (in a template, in arithmetic, ordered) fails the stand-in build, and
 * that shape is then always built afresh. A build that tests a stood-in value for equality is
 * not caught there: under `node --test` every call of a kept shape, the first included, is
 * checked against a fresh build with the call's values, so such a branch shows in the tests.
 * (The server builds a shape once: building it twice on its first call to compare, as before,
 * cost a second build and compile of the largest statements on every first call.)
 */
export function shapedQueries<Args extends unknown[], Queries extends readonly Compilable<unknown>[]>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  build: (db: Kysely<any>, ...args: Args) => Promise<Queries> | Queries,
  values: (stand: <T>(value: T) => T, ...args: NoInfer<Args>) => [...NoInfer<Args>] | null,
  options: {
    /**
     * Whether PostgreSQL runs this shape's statements on a generic plan, planned once per
     * connection, instead of planning them again with every call's values (the default, as for
     * any statement). Where planning a statement costs more than running it — a union of a
     * branch per source or per column, each with its joins — and the plan that does not know the
     * values was measured as good as the one that does, for each shape this says yes to. Asked
     * once per shape, with its first call's arguments: it may only look at what makes the shape.
     */
    genericPlan?: (...args: NoInfer<Args>) => boolean;
  } = {},
) {
  const kept = new WeakMap<object, Map<string, readonly CompiledQuery[] | null>>();
  const checked = process.env.NODE_TEST_CONTEXT !== undefined;
  const compileAll = async (
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    db: Kysely<any>,
    args: Args,
  ): Promise<CompiledQuery[]> => (await build(db, ...args)).map((query) => query.compile());
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return async (db: Kysely<any>, ...args: Args): Promise<CompiledTuple<Queries>> => {
    const given: unknown[] = [];
    const stand = <T>(value: T): T => {
      if ((typeof value !== 'number' && typeof value !== 'string') || !value) return value;
      given.push(value);
      return new ShapeSlot(given.length - 1) as unknown as T;
    };
    const standing = db.getExecutor().plugins.length > 0 ? null : values(stand, ...args);
    if (standing === null) return (await compileAll(db, args)) as CompiledTuple<Queries>;
    const key = shapeKey(standing);
    let shapes = kept.get(keptFor(db));
    if (shapes === undefined) kept.set(keptFor(db), (shapes = new Map()));
    let shape = shapes.get(key);
    if (shape === undefined) {
      try {
        shape = await compileAll(db, standing);
        if (options.genericPlan?.(...args)) for (const query of shape) prepareUnderName(query.sql, true);
      } catch {
        shape = null;
      }
    } else {
      // Most recently used last: a Map iterates in insertion order.
      shapes.delete(key);
    }
    shapes.set(key, shape);
    if (shapes.size > SHAPES_KEPT) shapes.delete(shapes.keys().next().value!);
    if (shape === null) return (await compileAll(db, args)) as CompiledTuple<Queries>;
    const bound = shape.map((query) =>
      CompiledQuery.raw(
        query.sql,
        query.parameters.map((value) => (value instanceof ShapeSlot ? given[value.position] : value)),
      ),
    );
    if (checked) sameQueries(bound, await compileAll(db, args), key);
    return bound as CompiledTuple<Queries>;
  };
}

function sameQueries(bound: readonly CompiledQuery[], fresh: readonly CompiledQuery[], key: string) {
  const same =
    bound.length === fresh.length &&
    bound.every(
      (query, index) =>
        query.sql === fresh[index]!.sql &&
        query.parameters.length === fresh[index]!.parameters.length &&
        query.parameters.every((value, at) => Object.is(value, fresh[index]!.parameters[at])),
    );
  if (!same) throw new Error(`shapedQueries: the kept shape ${key} differs from the query built afresh`);
}
