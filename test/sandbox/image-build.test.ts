import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { buildSandboxImage } from '../../src-main/sandbox/image-build.js';
import { SandboxImageBuildError } from '../../src-main/sandbox/image-build-error.js';
import { dockerAvailable, testDockerClient } from '../helpers/docker.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';

const hasDocker = await dockerAvailable();
const rootfsDirs = (): string[] =>
  readdirSync(tmpdir()).filter((d) => d.startsWith('clawdbot-sandbox-rootfs-'));

/**
 * The build's failure paths; the success path (minutes) is exercised by every Docker test file
 * through test/helpers/sandbox-image.ts on a machine without the image.
 */
describe('clawdbot sandbox image build', () => {
  it('says so when Docker is not reachable', async () => {
    const docker = new Docker({ socketPath: NO_DOCKER_HOST.replace('unix://', '') });
    await expect(buildSandboxImage({ docker, offline: true })).rejects.toThrow(
      /^Docker is not reachable at \/nonexistent\/clawdbot-test-docker\.sock/,
    );
  });

  it.skipIf(!hasDocker)(
    '--offline explains a failed debootstrap (or the need for root) and cleans up',
    { tags: ['docker'] },
    async () => {
      const before = rootfsDirs();
      const lines: string[] = [];
      const error = await buildSandboxImage({
        docker: testDockerClient(0),
        offline: true,
        tag: 'clawdbot-sandbox:never-built',
        // Nothing listens on port 9: debootstrap fails at its first download.
        mirror: 'http://127.0.0.1:9/debian',
        onProgress: (line) => lines.push(line),
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SandboxImageBuildError);
      if (process.getuid?.() !== 0) {
        expect((error as Error).message).toMatch(/must run as root/);
        return;
      }
      expect((error as Error).message).toMatch(/debootstrap failed \(exit \d+\); last output:/);
      expect(lines[0]).toMatch(
        /^\[1\/3\] debootstrap --variant=minbase bookworm from http:\/\/127\.0\.0\.1:9\/debian$/,
      );
      expect(rootfsDirs()).toEqual(before);
    },
  );

  it.skipIf(!hasDocker)(
    'online, points at --offline when no registry is reachable',
    { tags: ['docker'] },
    async () => {
      const error = await buildSandboxImage({
        docker: testDockerClient(0),
        offline: false,
        tag: 'clawdbot-sandbox:never-built',
      }).catch((e: unknown) => e);
      // Where a registry is reachable this builds for real; here none is.
      if (error === undefined || !(error instanceof Error)) return;
      expect(error).toBeInstanceOf(SandboxImageBuildError);
      expect(error.message).toMatch(
        /^docker build failed: .*run clawdbot sandbox image build --offline\)$/s,
      );
    },
  );
});
