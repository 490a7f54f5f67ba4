import { readTextIfExists } from '../read-if-exists.js';
import { randomBytes } from 'node:crypto';
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EngineConfigSchema } from '../../src-shared/config/engine-schema.js';
import { ensureStateDir } from '../state-layout.js';
import { type EngineOrigin, type EngineTarget, resolveEngine } from './engine-target.js';
import { type KillEngine, connectKillEngine } from './kill-engine.js';

/** The file (in the state directory) naming every engine this installation made sandboxes on. */
export const ENGINES_USED_FILE = 'sandbox-engines.json';

const EngineUseSchema = z.object({
  endpoint: z.string(),
  setting: EngineConfigSchema.nullable(),
  env: z.record(z.string(), z.string()),
  firstUsedAt: z.number(),
});
const EnginesUsedSchema = z.object({ engines: z.array(EngineUseSchema) });

/** One engine this installation made sandboxes on, and how to reach it again. */
export type EngineUse = z.infer<typeof EngineUseSchema>;

/**
 * The engines this state directory's installation has made sandboxes on (oldest first). A
 * missing file is none; an unreadable one is an error naming it (the kill switch reports it and
 * still reaches the configured engine).
 */
export function enginesUsed(stateDir: string): EngineUse[] {
  const file = join(stateDir, ENGINES_USED_FILE);
  const text = readTextIfExists(file);
  if (text === null) return [];
  const parsed = EnginesUsedSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`${file} is not a list of sandbox engines: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data.engines;
}

/**
 * Records that sandboxes were made on `target`, once per endpoint, so switching
 * `agent.sandbox.engine` (or `DOCKER_HOST`) never leaves sandboxes out of the kill switch's
 * reach. Written atomically (temporary file, rename); paths and names only, never a key.
 */
export function recordEngineUse(stateDir: string, target: EngineTarget, now = Date.now()): void {
  const used = enginesUsed(stateDir);
  if (used.some((e) => e.endpoint === target.endpoint)) return;
  ensureStateDir(stateDir);
  const file = join(stateDir, ENGINES_USED_FILE);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const entry: EngineUse = {
    endpoint: target.endpoint,
    setting: target.origin.setting,
    env: target.origin.env,
    firstUsedAt: now,
  };
  try {
    writeFileSync(temp, `${JSON.stringify({ engines: [...used, entry] }, null, 2)}\n`, {
      mode: 0o600,
    });
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Never created.
    }
    throw error;
  }
}

/** An engine the kill switch must reach: resolved, or why it could not be. */
export type KillTarget =
  { endpoint: string; target: EngineTarget } | { endpoint: string; error: string };

/**
 * Every engine this installation may have sandboxes on: the one in force first, then each one
 * used before (by endpoint, once). One that can no longer be resolved (its certificate file
 * gone…) is still listed, with why, so the kill report says it was not reached.
 */
export function killTargets(
  current: () => EngineTarget,
  stateDir: string,
  env: NodeJS.ProcessEnv,
  onUnreadable: (error: unknown) => void,
): KillTarget[] {
  const targets: KillTarget[] = [];
  try {
    const target = current();
    targets.push({ endpoint: target.endpoint, target });
  } catch (error) {
    targets.push({ endpoint: 'the configured engine', error: describe(error) });
  }
  let used: EngineUse[] = [];
  try {
    used = enginesUsed(stateDir);
  } catch (error) {
    onUnreadable(error);
  }
  for (const use of used) {
    if (targets.some((t) => t.endpoint === use.endpoint)) continue;
    try {
      targets.push({ endpoint: use.endpoint, target: reachAgain(use, env) });
    } catch (error) {
      targets.push({ endpoint: use.endpoint, error: describe(error) });
    }
  }
  return targets;
}

function reachAgain(use: EngineUse, env: NodeJS.ProcessEnv): EngineTarget {
  // The recorded variables only (HOME and SSH_AUTH_SOCK from now): the current DOCKER_HOST
  // must not redirect a recorded engine elsewhere.
  const origin: EngineOrigin['env'] = use.env;
  return resolveEngine(use.setting ?? undefined, {
    ...(env['HOME'] !== undefined ? { HOME: env['HOME'] } : {}),
    ...(env['SSH_AUTH_SOCK'] !== undefined ? { SSH_AUTH_SOCK: env['SSH_AUTH_SOCK'] } : {}),
    ...origin,
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The kill switch's other engines for `targets` (all but the first, the engine in force): a
 * lightweight client for each that resolved, a rejected one (reported as not answering, with
 * why) for each that did not.
 */
export function otherKillEngines(
  targets: KillTarget[],
): { endpoint: string; remote: boolean; docker: Promise<KillEngine> }[] {
  return targets.slice(1).map((t) =>
    'target' in t
      ? {
          endpoint: t.endpoint,
          remote: t.target.remote,
          docker: Promise.resolve(connectKillEngine(t.target)),
        }
      : {
          endpoint: t.endpoint,
          remote: false,
          docker: Promise.reject(new Error(t.error)),
        },
  );
}
