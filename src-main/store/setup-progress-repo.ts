import type { Database } from 'better-sqlite3';
import { SETUP_STEPS, type SetupStep } from '../../src-shared/domain/setup.js';

/** The setup flow's saved progress. */
export interface SetupProgress {
  step: SetupStep;
  done: SetupStep[];
  /** Finished or skipped: the flow no longer opens by itself. */
  finished: boolean;
}

interface Row {
  step: SetupStep;
  done: string;
  finished: number;
}

/** Where the setup flow was left, kept across restarts so it resumes there. */
export interface SetupProgressRepo {
  read(): SetupProgress;
  write(progress: SetupProgress, now: number): void;
}

/** The setup progress repository over the shared database. */
export function createSetupProgressRepo(db: Database): SetupProgressRepo {
  const select = db.prepare<[], Row>(
    'SELECT step, done, finished FROM setup_progress WHERE id = 1',
  );
  const upsert = db.prepare(
    `INSERT INTO setup_progress (id, step, done, finished, updated_at) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET step = excluded.step, done = excluded.done,
       finished = excluded.finished, updated_at = excluded.updated_at`,
  );
  return {
    read() {
      const row = select.get();
      if (!row) return { step: 'owner', done: [], finished: false };
      const done = (JSON.parse(row.done) as string[]).filter((s): s is SetupStep =>
        (SETUP_STEPS as readonly string[]).includes(s),
      );
      return { step: row.step, done, finished: row.finished === 1 };
    },
    write(progress, now) {
      upsert.run(progress.step, JSON.stringify(progress.done), progress.finished ? 1 : 0, now);
    },
  };
}
