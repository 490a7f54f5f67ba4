import type Docker from 'dockerode';
import { buildSandboxImage } from '../../src-main/sandbox/image-build.js';
import { DEFAULT_SANDBOX_IMAGE } from '../../src-shared/config/sandbox-schema.js';

/**
 * How long a `beforeAll` that may build the sandbox image needs: the offline build
 * (debootstrap of Debian bookworm plus `docker import`) takes two to three minutes on a
 * 2-core machine with a nearby mirror, much longer with a slow one.
 */
export const SANDBOX_IMAGE_BUILD_TIMEOUT_MS = 15 * 60_000;

/**
 * Makes sure the real sandbox image (`clawdbot-sandbox:bookworm`) is on the engine, building it
 * once per machine with the offline path (no registry is reachable here) when it is missing.
 * An image already present is reused as is: CI builds it once; delete it to force a rebuild
 * after changing assets/sandbox. Needs root and debootstrap only when it has to build.
 */
export async function ensureSandboxImage(
  docker: Docker,
  image: string = DEFAULT_SANDBOX_IMAGE,
): Promise<void> {
  try {
    await docker.getImage(image).inspect();
    return;
  } catch {
    // Not built on this machine yet.
  }
  process.stderr.write(`building ${image} with the offline path (takes minutes, once)\n`);
  await buildSandboxImage({
    docker,
    offline: true,
    tag: image,
    onProgress: (line) => {
      // debootstrap's per-package lines would flood the test output; keep the milestones.
      if (!/^\s+I: /.test(line)) process.stderr.write(`  ${line}\n`);
    },
  });
}
