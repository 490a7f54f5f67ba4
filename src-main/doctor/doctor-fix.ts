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
 * Builds the sandbox image when it is missing and some session needs it: from Debian's
 * packages with debootstrap where that can run (root, Linux, debootstrap installed: no registry
 * needed), else with `docker build` (needs a registry).
 */
async function buildImage(
  context: DoctorContext,
  facts: DoctorFacts,
  onProgress: (line: string) => void,
): Promise<string[]> {
  const { engine } = facts;
  const { image } = facts.config.config.agent.sandbox.docker;
  if (!engine.ok || facts.config.config.agent.sandbox.mode === 'off') return [];
  try {
    await engine.client.getImage(image).inspect();
    return [];
  } catch {
    // Missing: build it below.
  }
  const offline = offlineBuildAvailable(context.env);
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
    const built = await buildSandboxImage({ docker, offline, tag: image, onProgress });
    return [
      `built ${built.tag} (${built.imageId.slice(7, 19)}, ${Math.round(built.sizeBytes / 1e6)} MB) in ${Math.round(built.durationMs / 1000)} s`,
    ];
  } catch (error) {
    return [`could not build ${image}: ${describeError(error)}`];
  }
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
