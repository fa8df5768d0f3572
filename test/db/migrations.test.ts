import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { appliedMigrations, MIGRATION_NAMES, migrateToLatest } from '../../src/db/migrate.ts';
import { testEngines } from '../helpers/db.ts';
import { emptyDb, fillAt, normal, type Written } from '../helpers/upgrade-db.ts';
import { STEPS, type Row } from '../fixtures/migration-steps/index.ts';

/**
 * Upgrades keep data (issue 14 item 10): for every earlier version, a database is built at
 * that migration, filled with rows as that version wrote them (test/fixtures/migration-steps/),
 * and migrated to the latest; every row must come through with the values it had.
 */

for (const engine of testEngines()) {
  describe(`upgrading the database keeps its data [${engine}]`, () => {
    const open: { dispose(): Promise<void> }[] = [];
    after(async () => {
      for (const openDb of open) await openDb.dispose();
    });

    it('every migration has the rows its version wrote in this test', () => {
      assert.deepEqual(
        Object.keys(STEPS),
        MIGRATION_NAMES,
        'a new migration needs a step here that writes what it introduces',
      );
    });

    for (const version of MIGRATION_NAMES.slice(0, -1)) {
      it(`from ${version}: every row and value comes through`, async () => {
        const db = await emptyDb(engine);
        open.push(db);
        assert.deepEqual(
          await migrateToLatest(db, { to: version }),
          MIGRATION_NAMES.slice(0, MIGRATION_NAMES.indexOf(version) + 1),
        );
        const written: Written[] = [];
        await fillAt(db.kysely as unknown as Kysely<unknown>, version, written);
        const counts = async () =>
          Object.fromEntries(
            await Promise.all(
              [...new Set(written.map((w) => w.table))].map(
                async (table) =>
                  [
                    table,
                    Number(
                      (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db.kysely))
                        .rows[0]!.n,
                    ),
                  ] as const,
              ),
            ),
          );
        const before = await counts();
        const rest = MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf(version) + 1);
        let backedUp: string[] | undefined;
        assert.deepEqual(
          await migrateToLatest(db, { beforeMigrating: async (pending) => void (backedUp = pending) }),
          rest,
        );
        assert.deepEqual(backedUp, rest, 'an existing database is offered a backup before the pending migrations');
        assert.deepEqual(await counts(), before, 'no rows lost or added');
        for (const record of written) {
          const key =
            'id' in record.values ? 'id' : Object.keys(record.values).find((c) => record.values[c] === record.id)!;
          const row = (
            await sql<Row>`select * from ${sql.table(record.table)} where ${sql.ref(key)} = ${record.id}`.execute(
              db.kysely,
            )
          ).rows[0];
          assert.ok(row, `${record.table} ${record.id} kept`);
          for (const [col, expected] of Object.entries(record.values))
            assert.deepEqual(
              normal(row[col]),
              normal(expected),
              `${record.table}.${col} after upgrading from ${version}`,
            );
        }
        assert.deepEqual(await appliedMigrations(db), [...MIGRATION_NAMES].sort());
        // Closed now, not after the suite: a pool per version kept open ran a shared PostgreSQL out of connections.
        open.splice(open.indexOf(db), 1);
        await db.dispose();
      });
    }
  });
}
