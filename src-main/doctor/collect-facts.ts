import type { Database } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { collectAuditInput } from '../audit/collect-input.js';
import { ENGINE_HEALTH_TIMEOUT_MS } from '../docker/engine-health.js';
import { ConfigService } from '../config/config-service.js';
import { dockerEndpoint } from '../docker/docker-errors.js';
import { createLastGoodConfigRepo, type LastGoodConfigStore } from '../store/config-repo.js';
import { openExistingDatabase } from '../store/open-database.js';
import { databasePath } from '../state-layout.js';
import { connectDocker } from '../docker/docker-client.js';
import { engineKindOf } from '../docker/engine-kind.js';
import type { DatabaseFact, DoctorContext, DoctorFacts, EngineFact } from './doctor-context.js';

function readDatabase(stateDir: string): { fact: DatabaseFact; db: Database | null } {
  if (!existsSync(databasePath(stateDir))) return { fact: { state: 'missing' }, db: null };
  try {
    const db = openExistingDatabase(stateDir);
    if (!db) return { fact: { state: 'missing' }, db: null };
    return {
      fact: { state: 'found', version: db.pragma('user_version', { simple: true }) as number },
      db,
    };
  } catch (error) {
    return { fact: { state: 'unreadable', error: describeError(error) }, db: null };
  }
}

/** The last good config, read-only: the doctor reports which config is in force, never saves one. */
function lastGoodStore(db: Database | null): LastGoodConfigStore | null {
  if (!db) return null;
  try {
    return createLastGoodConfigRepo(db);
  } catch {
    // A database from before the last good config was kept: there is none to fall back on.
    return null;
  }
}

async function askEngine(context: DoctorContext): Promise<EngineFact> {
  let client;
  try {
    client = await (context.docker ?? ((timeout) => connectDocker(timeout, context.env)))(
      // As long as `clawdbot status` waits: Podman takes seconds to answer /info on a busy machine.
      ENGINE_HEALTH_TIMEOUT_MS,
    );
  } catch (error) {
    return { ok: false, endpoint: 'the Docker engine', error };
  }
  const endpoint = dockerEndpoint(client);
  try {
    // One request: /info has the version, the runtimes and what says Podman (see engine-kind.ts).
    const info = (await client.info()) as {
      ServerVersion?: string;
      Runtimes?: Record<string, unknown>;
      BuildahVersion?: string;
    };
    const runtimes = Object.keys(info.Runtimes ?? {});
    const kind = engineKindOf(info);
    return { ok: true, client, endpoint, version: info.ServerVersion ?? 'unknown', kind, runtimes };
  } catch (error) {
    return { ok: false, endpoint, error };
  }
}

/**
 * Gathers what several checks look at, once, touching nothing: the database is opened
 * read-only (a pending migration stays pending until `--fix`), the config is read as a process
 * starting now would (falling back on the last good one), and the engine is asked briefly.
 */
export async function collectDoctorFacts(context: DoctorContext): Promise<DoctorFacts> {
  const { fact, db } = readDatabase(context.stateDir);
  try {
    const config = new ConfigService(context.configPath, { store: lastGoodStore(db) }).current();
    const [engine, files] = await Promise.all([
      askEngine(context),
      collectAuditInput({
        stateDir: context.stateDir,
        configPath: context.configPath,
        env: context.env,
        docker: false,
      }),
    ]);
    return { config, database: fact, engine, files };
  } finally {
    db?.close();
  }
}
