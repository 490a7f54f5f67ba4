import type Docker from 'dockerode';
import { inject } from 'vitest';
import { buildSandboxImage, offlineBuildAvailable } from '../../src-main/sandbox/image-build.js';
import { DEFAULT_SANDBOX_IMAGE } from '../../src-shared/config/sandbox-schema.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/**
 * How long a `beforeAll` that may build the sandbox image needs: the offline build
 * (debootstrap of Debian bookworm plus `docker import`) takes two to three minutes on a
 * 2-core machine with a nearby mirror, much longer with a slow one.
 */
export const SANDBOX_IMAGE_BUILD_TIMEOUT_MS = 15 * 60_000;

/** debootstrap's per-package steps, counted instead of printed one line each. */
const PACKAGE_STEP = /^\s*I: (Retrieving|Validating|Extracting|Unpacking|Configuring) /;
const EVERY = 25;

/**
 * Build progress as a test run shows it: the build's milestones as they come, and for
 * debootstrap's hundreds of per-package lines a running count every few dozen packages.
 */
export function compactProgress(write: (line: string) => void): (line: string) => void {
  const counts = new Map<string, number>();
  return (line) => {
    const step = PACKAGE_STEP.exec(line)?.[1];
    if (step) {
      const n = (counts.get(step) ?? 0) + 1;
      counts.set(step, n);
      if (n % EVERY === 0) write(`  debootstrap: ${step.toLowerCase()} package ${n}…`);
      return;
    }
    // The rest of debootstrap's chatter ("I: Resolving dependencies…") adds nothing.
    if (/^\s*I: /.test(line)) return;
    write(`  ${line.trim()}`);
  };
}

/**
 * Makes sure the real sandbox image (`clawdbot-sandbox:bookworm`) is on the engine, building it
 * once per engine when it is missing: offline (debootstrap, no registry) where that can run (as
 * root with debootstrap installed), else with `docker build` (needs a registry, not root). The
 * engine keeps it, so later runs reuse it at once; delete it to force a rebuild after changing
 * assets/sandbox. Progress goes to `write` (stderr by default). Throws when it cannot be built.
 */
export async function ensureSandboxImage(
  docker: Docker,
  image: string = DEFAULT_SANDBOX_IMAGE,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<void> {
  try {
    await docker.getImage(image).inspect();
    return;
  } catch {
    // Not built on this engine yet.
  }
  const offline = offlineBuildAvailable();
  write(
    `Building ${image} for the sandbox tests (${offline ? 'offline, from Debian packages with debootstrap' : 'docker build'}): a few minutes, once per Docker engine.`,
  );
  await buildSandboxImage({ docker, offline, tag: image, onProgress: compactProgress(write) });
}

/**
 * Whether the test run's global set-up could not put the sandbox image on the engine (it says
 * why at the end of the run): suites that need it skip. Under CLAWDBOT_REQUIRE_DOCKER=1 the
 * set-up fails the run instead, so this is never true there.
 */
export function sandboxImageMissing(): boolean {
  return (inject('sandboxImageProblem') ?? null) !== null;
}

/**
 * {@link ensureSandboxImage}, for the test run's global set-up: null when the image is there,
 * else why it could not be built and how to build it by hand.
 */
export async function sandboxImageProblem(
  docker: Docker,
  write: (line: string) => void,
): Promise<string | null> {
  try {
    await ensureSandboxImage(docker, DEFAULT_SANDBOX_IMAGE, write);
    return null;
  } catch (error) {
    return `the sandbox image could not be built (${describeError(error)}); build it once with \`sudo node bin/clawdbot.js sandbox image build --offline\``;
  }
}
