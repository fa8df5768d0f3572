import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { appliedMigrations, migrateToLatest, NewerDatabaseError } from '../../src/db/migrate.ts';
import { testEngines } from '../helpers/db.ts';
import { emptyDb, tableNames } from '../helpers/upgrade-db.ts';
import type { Row } from '../fixtures/migration-steps/index.ts';

/**
 * Migrations fail safely: one that fails part-way is rolled back with its bookkeeping, the
 * schema refuses cross-workspace references, a database from a newer version is refused
 * untouched, and an empty database is offered no backup.
 */
for (const engine of testEngines()) {
  describe(`migrations fail safely [${engine}]`, () => {
    const open: { dispose(): Promise<void> }[] = [];
    after(async () => {
      for (const openDb of open) await openDb.dispose();
    });

    it('rolls back a migration that fails part-way, with its bookkeeping: the database stays at the last one that succeeded', async () => {
      const db = await emptyDb(engine);
      open.push(db);
      await migrateToLatest(db, { to: '0010_password_change' });
      // 0011 clears orphan references first, then adds its checks; a clash at the end must undo the clearing.
      const kysely = db.kysely;
      const now = Date.now();
      const ws = (
        await kysely
          .insertInto('workspaces')
          .values({ name: 'w', created_at: now } as never)
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      const unit = (
        await kysely
          .insertInto('org_units')
          .values({ workspace_id: ws, name: 'u', type: 'group', path: '/', created_at: now, updated_at: now } as never)
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      const orphan = (
        await kysely
          .insertInto('accounts')
          .values({
            workspace_id: ws,
            name: 'a',
            name_key: 'a',
            org_unit_id: unit,
            referrer_account_id: 999_999,
            created_at: now,
            updated_at: now,
          } as never)
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      // The name of the migration's last object is taken already.
      if (engine === 'postgres')
        await sql`alter table opportunities add constraint opportunities_stage_id_fk check (true)`.execute(kysely);
      else
        await sql`create trigger opportunities_stage_id_parent_delete before delete on process_stages begin select 1; end`.execute(
          kysely,
        );
      await assert.rejects(migrateToLatest(db), /migration 0011_reference_checks failed/);
      const row = await kysely
        .selectFrom('accounts')
        .select('referrer_account_id')
        .where('id', '=', orphan)
        .executeTakeFirstOrThrow();
      assert.equal(row.referrer_account_id, 999_999, 'the clearing of orphan references was rolled back');
      assert.ok(!(await appliedMigrations(db)).includes('0011_reference_checks'));
    });

    it("the database itself refuses a reference to another workspace's row, or to none (issue 14 item 4)", async () => {
      const db = await emptyDb(engine);
      open.push(db);
      await migrateToLatest(db);
      const kysely = db.kysely as unknown as Kysely<Record<string, Row>>;
      const now = Date.now();
      const world = async (name: string) => {
        const ws = (
          await kysely
            .insertInto('workspaces')
            .values({ name, created_at: now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id as number;
        const unit = (
          await kysely
            .insertInto('org_units')
            .values({ workspace_id: ws, name: 'u', type: 'group', path: '/', created_at: now, updated_at: now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id as number;
        const account = (
          await kysely
            .insertInto('accounts')
            .values({ workspace_id: ws, name: 'a', name_key: 'a', org_unit_id: unit, created_at: now, updated_at: now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id as number;
        const process = (
          await kysely
            .insertInto('sales_processes')
            .values({ workspace_id: ws, name: 'p', created_at: now, updated_at: now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id as number;
        const stage = (
          await kysely
            .insertInto('process_stages')
            .values({
              workspace_id: ws,
              process_id: process,
              position: 0,
              name: 's',
              probability: 10,
              created_at: now,
              updated_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id as number;
        return { ws, unit, account, process, stage };
      };
      const worldA = await world('a');
      const worldB = await world('b');
      const account = (referrer: number) =>
        kysely
          .insertInto('accounts')
          .values({
            workspace_id: worldA.ws,
            name: 'x',
            name_key: 'x',
            org_unit_id: worldA.unit,
            referrer_account_id: referrer,
            created_at: now,
            updated_at: now,
          })
          .execute();
      await account(worldA.account);
      await assert.rejects(account(worldB.account), /foreign key/i, "another workspace's account");
      await assert.rejects(account(999_999), /foreign key/i, 'no account');
      await assert.rejects(
        kysely
          .updateTable('accounts')
          .set({ referrer_account_id: worldB.account })
          .where('id', '=', worldA.account)
          .execute(),
        /foreign key/i,
      );
      const user = (
        await kysely
          .insertInto('users')
          .values({
            workspace_id: worldA.ws,
            org_unit_id: worldA.unit,
            email: `u${engine}@fk.test`,
            name: 'u',
            role: 'rep',
            password_hash: 'x',
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id as number;
      const opp = (stage: number) =>
        kysely
          .insertInto('opportunities')
          .values({
            workspace_id: worldA.ws,
            account_id: worldA.account,
            name: 'o',
            owner_id: user,
            org_unit_id: worldA.unit,
            process_id: worldA.process,
            stage_id: stage,
            created_at: now,
            updated_at: now,
          })
          .execute();
      await opp(worldA.stage);
      await assert.rejects(opp(worldB.stage), /foreign key/i, "another workspace's stage");
      await assert.rejects(
        kysely.deleteFrom('process_stages').where('id', '=', worldA.stage).execute(),
        /foreign key/i,
        'a stage still in use',
      );
    });

    it('refuses a database written by a newer version, changing nothing', async () => {
      const db = await emptyDb(engine);
      open.push(db);
      await migrateToLatest(db, { to: '0009_stage_evidence' });
      await sql`insert into kysely_migration (name, timestamp) values ('0099_from_the_future', '2030-01-01T00:00:00.000Z')`.execute(
        db.kysely,
      );
      const tables = await tableNames(db);
      let offered = false;
      await assert.rejects(
        migrateToLatest(db, { beforeMigrating: async () => void (offered = true) }),
        (error: Error) =>
          error instanceof NewerDatabaseError &&
          /newer version of Keyline/.test(error.message) &&
          /0099_from_the_future/.test(error.message),
      );
      assert.equal(offered, false);
      assert.deepEqual(await tableNames(db), tables);
      assert.ok(
        !(await appliedMigrations(db)).includes('0010_password_change'),
        'the pending migrations were not applied',
      );
    });

    it('offers no backup to an empty database', async () => {
      const db = await emptyDb(engine);
      open.push(db);
      let offered = false;
      await migrateToLatest(db, { beforeMigrating: async () => void (offered = true) });
      assert.equal(offered, false);
    });
  });
}
