import { describeError } from '../../src-shared/errors/describe-error.js';
import { fixModes } from '../audit/fix.js';
import { buildSandboxImage, offlineBuildAvailable } from '../sandbox/image-build.js';
import { migrations } from '../store/migrations.js';
import { openDatabase } from '../store/open-database.js';
import { connectConfiguredDocker } from '../docker/docker-client.js';
import { collectDoctorFacts } from './collect-facts.js';
import type { DoctorContext, DoctorFacts } from './doctor-context.js';

/** The pending migrations, applied the way every process applies them when it opens the database. */
function migrate(context: DoctorContext, facts: DoctorFacts): string[] {
  const latest = migrations.at(-1)?.version ?? 0;
  if (facts.database.state !== 'found' || facts.database.version >= latest) return [];
  const from = facts.database.version;
  openDatabase(context.stateDir).close();
  return [`migrated the database from schema ${from} to ${latest}`];
}

/**
 * What became of a missing sandbox image: nothing to do (present, not needed, no engine), built,
 * or a build that failed and why.
 */
export type ImageBuildOutcome =
  | { kind: 'not-needed'; message: string }
  | { kind: 'built'; message: string }
  | { kind: 'failed'; message: string };

/**
 * What an image is built from: the directory with the Dockerfile and packages.txt, and whether
 * to build offline (debootstrap) or with `docker build`. Default: assets/sandbox, offline where
 * that can run.
 */
export interface SandboxRecipe {
  assetsDir: string;
  offline: boolean;
}

/**
 * Builds the configured sandbox image when it is missing and some session needs it: from
 * Debian's packages with debootstrap where that can run (root, Linux, debootstrap installed: no
 * registry needed), else with `docker build` (needs a registry). `clawdbot doctor --fix` and the
 * setup page's Build button both build through here.
 */
export async function buildMissingSandboxImage(
  context: DoctorContext,
  facts: DoctorFacts,
  onProgress: (line: string) => void,
  recipe?: SandboxRecipe,
): Promise<ImageBuildOutcome> {
  const { engine } = facts;
  const { image } = facts.config.config.agent.sandbox.docker;
  if (!engine.ok) {
    return {
      kind: 'failed',
      message: `Docker is not reachable at ${engine.endpoint}: ${describeError(engine.error)}`,
    };
  }
  if (facts.config.config.agent.sandbox.mode === 'off') {
    return { kind: 'not-needed', message: `${image} is not needed: agent.sandbox.mode is off` };
  }
  try {
    await engine.client.getImage(image).inspect();
    return { kind: 'not-needed', message: `${image} is on the engine already` };
  } catch {
    // Missing: build it below.
  }
  const offline = recipe?.offline ?? offlineBuildAvailable(context.env);
  onProgress(
    `building ${image} (${offline ? 'offline, with debootstrap' : 'docker build'}); this takes minutes, once`,
  );
  try {
    // No per-request timeout: an import or build streams for minutes.
    const docker = await (
      context.docker ??
      ((timeout) =>
        connectConfiguredDocker(facts.config.config.agent.sandbox.engine, timeout, context.env))
    )(0);
    const built = await buildSandboxImage({
      docker,
      offline,
      tag: image,
      onProgress,
      ...(recipe && { assetsDir: recipe.assetsDir }),
    });
    return {
      kind: 'built',
      message: `built ${built.tag} (${built.imageId.slice(7, 19)}, ${Math.round(built.sizeBytes / 1e6)} MB) in ${Math.round(built.durationMs / 1000)} s`,
    };
  } catch (error) {
    return { kind: 'failed', message: `could not build ${image}: ${describeError(error)}` };
  }
}

/** The doctor's line for a missing image it built (or could not), none when nothing was to do. */
async function buildImage(
  context: DoctorContext,
  facts: DoctorFacts,
  onProgress: (line: string) => void,
): Promise<string[]> {
  // An unreachable engine is the engine check's finding; --fix has nothing to build on.
  if (!facts.engine.ok) return [];
  const outcome = await buildMissingSandboxImage(context, facts, onProgress);
  return outcome.kind === 'not-needed' ? [] : [outcome.message];
}

/**
 * The fixes `clawdbot doctor --fix` makes, all of which only take away or add what Clawdbot
 * itself needs, never access: pending migrations, private modes on the state directory's files,
 * and a missing sandbox image (with its progress). One line per change or failed attempt.
 */
export async function applyDoctorFixes(
  context: DoctorContext,
  onProgress: (line: string) => void,
): Promise<string[]> {
  const facts = await collectDoctorFacts(context);
  return [
    ...migrate(context, facts),
    ...fixModes(facts.files),
    ...(await buildImage(context, facts, onProgress)),
  ];
}
