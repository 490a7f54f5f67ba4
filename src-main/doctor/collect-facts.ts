import type { Database } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { collectAuditInput } from '../audit/collect-input.js';
import { ENGINE_HEALTH_TIMEOUT_MS, engineAddress } from '../docker/engine-health.js';
import { ConfigService } from '../config/config-service.js';
import { dockerEndpoint } from '../docker/docker-errors.js';
import { createLastGoodConfigRepo, type LastGoodConfigStore } from '../store/config-repo.js';
import { openExistingDatabase } from '../store/open-database.js';
import { databasePath } from '../state-layout.js';
import type Docker from 'dockerode';
import { connectDocker } from '../docker/docker-client.js';
import { resolveEngine } from '../docker/engine-target.js';
import { INSTALLATION_LABEL, SANDBOX_LABEL_FILTER } from '../docker/sandbox-labels.js';
import { existingInstallationId } from '../installation-id.js';
import type { EngineAddress } from '../../src-shared/domain/engine-health.js';
import type { EngineConfig } from '../../src-shared/config/engine-schema.js';
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

async function askEngine(
  context: DoctorContext,
  engine: EngineConfig | undefined,
): Promise<EngineFact> {
  let client;
  let address: EngineAddress | undefined;
  try {
    if (context.docker) client = await context.docker(ENGINE_HEALTH_TIMEOUT_MS);
    else {
      const target = resolveEngine(engine, context.env);
      address = engineAddress(target);
      // As long as `clawdbot status` waits: Podman takes seconds to answer /info on a busy machine.
      client = await connectDocker(ENGINE_HEALTH_TIMEOUT_MS, target);
    }
  } catch (error) {
    return {
      ok: false,
      endpoint: engine ? 'the engine of agent.sandbox.engine' : 'the Docker engine',
      error,
    };
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
    return {
      ok: true,
      client,
      endpoint,
      version: info.ServerVersion ?? 'unknown',
      kind,
      runtimes,
      ...(address && { address }),
      sandboxes: await countSandboxes(client, context.stateDir),
    };
  } catch (error) {
    return { ok: false, endpoint, error };
  }
}

/** This installation's sandbox containers on the engine; null when it has no id (or it is unreadable). */
async function countSandboxes(client: Docker, stateDir: string): Promise<number | null> {
  let id: string | null;
  try {
    id = existingInstallationId(stateDir);
  } catch {
    return null;
  }
  if (id === null) return 0;
  const listed = await client.listContainers({
    all: true,
    filters: { label: [SANDBOX_LABEL_FILTER, `${INSTALLATION_LABEL}=${id}`] },
  });
  return listed.length;
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
      askEngine(context, config.config.agent.sandbox.engine),
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
