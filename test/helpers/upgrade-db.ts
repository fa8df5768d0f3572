import type { Kysely } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import { MIGRATION_NAMES } from '../../src/db/migrate.ts';
import { createTestDb, type TestDb } from './db.ts';
import type { Engine } from '../../src/db/dialect.ts';
import { STEPS, type Ids, type Row } from '../fixtures/migration-steps/index.ts';

/** An empty database of its own, not migrated. */
export const emptyDb = (engine: Engine): Promise<TestDb> => createTestDb(engine, { migrate: false });

export interface Written {
  table: string;
  id: number;
  values: Row;
}

/** Writes rows as `version` had them, recording what was written to compare afterwards. */
export async function fillAt(kysely: Kysely<unknown>, version: string, written: Written[]) {
  const ids: Ids = {};
  const put = async (table: string, values: Row, key = 'id') => {
    const row = await (kysely as Kysely<Record<string, Row>>)
      .insertInto(table)
      .values(values)
      .returning(key)
      .executeTakeFirstOrThrow();
    const id = row[key] as number;
    written.push({ table, id, values: { ...values, [key]: id } });
    return id;
  };
  const set = async (table: string, id: number, values: Row, key = 'id') => {
    await (kysely as Kysely<Record<string, Row>>).updateTable(table).set(values).where(key, '=', id).execute();
    const record = written.find((x) => x.table === table && x.id === id)!;
    Object.assign(record.values, values);
  };
  for (const name of MIGRATION_NAMES.slice(0, MIGRATION_NAMES.indexOf(version) + 1)) await STEPS[name]!(put, ids, set);
}

export const normal = (value: unknown) =>
  Buffer.isBuffer(value) || value instanceof Uint8Array
    ? Buffer.from(value).toString('hex')
    : typeof value === 'bigint'
      ? Number(value)
      : value;

export async function tableNames(db: Db): Promise<string[]> {
  return (await db.kysely.introspection.getTables()).map((t) => t.name).sort();
}
