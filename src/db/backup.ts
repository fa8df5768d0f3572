import fs from 'node:fs';
import path from 'node:path';
import type SQLite from 'better-sqlite3';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './database.ts';

/** KEYLINE_DATA_DIR/backups/<time>[-label]/keyline.db: milliseconds in the name, so two backups in one second do not collide. */
export function backupPath(dataDir: string, label?: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/Z$/, '').replace('T', '-');
  return path.join(dataDir, 'backups', label ? `${stamp}-${label}` : stamp, 'keyline.db');
}

/**
 * A consistent copy of a SQLite database while it is in use (SQLite's online backup API),
 * readable by the owner only like the database itself. The file is created exclusively first,
 * so a backup never overwrites one and is never readable by others, not even for a moment.
 */
export async function backupSqlite(sqlite: SQLite.Database, out: string): Promise<void> {
  fs.mkdirSync(path.dirname(out), { recursive: true, mode: PRIVATE_DIR_MODE });
  try {
    fs.closeSync(fs.openSync(out, 'wx', PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new Error(`${out} exists already; a backup never overwrites a file`, { cause: error });
    throw error;
  }
  await sqlite.backup(out);
  fs.chmodSync(out, PRIVATE_FILE_MODE);
}
