import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerSandboxCommands } from '../../src-main/cli/commands/sandbox.js';
import { SandboxManager, type SandboxInfo } from '../../src-main/sandbox/sandbox-manager.js';
import { dockerAvailable, testDockerClient } from '../helpers/docker.js';
import {
  SANDBOX_IMAGE_BUILD_TIMEOUT_MS,
  ensureSandboxImage,
  sandboxImageMissing,
} from '../helpers/sandbox-image.js';
import { removeRunSandboxes, scratchDir, testRunTag } from './sandbox-test-kit.js';

const hasDocker = await dockerAvailable();

/** Runs `clawdbot <args>` in-process with only the sandbox commands; returns what it printed. */
async function sandboxCli(args: string[]): Promise<string> {
  const program = new Command('clawdbot').exitOverride();
  registerSandboxCommands(program);
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    write.mockRestore();
  }
  return out;
}

describe.skipIf(!hasDocker || sandboxImageMissing())(
  'clawdbot sandbox',
  { tags: ['docker', 'sandbox-image'] },
  () => {
    const docker = testDockerClient(0);
    const run = testRunTag('cli');
    const state = scratchDir('sandbox-cli');
    const stateDir = join(state.dir, 'state');
    const session = `group:telegram:${run}`;
    const savedStateDir = process.env['CLAWDBOT_STATE_DIR'];
    let name: string;

    beforeAll(async () => {
      await ensureSandboxImage(docker);
      process.env['CLAWDBOT_STATE_DIR'] = stateDir;
      const manager = new SandboxManager({ stateDir, docker });
      name = (await manager.ensure(session)).name;
    }, SANDBOX_IMAGE_BUILD_TIMEOUT_MS);

    afterAll(async () => {
      if (savedStateDir === undefined) delete process.env['CLAWDBOT_STATE_DIR'];
      else process.env['CLAWDBOT_STATE_DIR'] = savedStateDir;
      await removeRunSandboxes(docker, run);
      state.remove();
    });

    it('list shows the sandbox with its session, as a table and as JSON', async () => {
      const table = await sandboxCli(['sandbox', 'list']);
      expect(table).toMatch(/^NAME\s+SESSION\s+STATE\s+IMAGE\s+AGE\s+LAST USE\s+CPU\s+MEMORY$/m);
      expect(table).toMatch(
        new RegExp(`^${name}\\s+${session}\\s+running\\s+clawdbot-sandbox`, 'm'),
      );
      const json = JSON.parse(await sandboxCli(['sandbox', 'list', '--json'])) as SandboxInfo[];
      expect(json.find((s) => s.name === name)).toMatchObject({ sessionKey: session });
    });

    it('prune removes nothing that is in use', async () => {
      expect(await sandboxCli(['sandbox', 'prune'])).toMatch(/^nothing to prune/);
    });

    it('stop removes the container and keeps the workspace; an unknown name is an error', async () => {
      expect(await sandboxCli(['sandbox', 'stop', name])).toBe(
        `stopped and removed ${name} (its workspace is kept)\n`,
      );
      const json = JSON.parse(await sandboxCli(['sandbox', 'list', '--json'])) as SandboxInfo[];
      expect(json.find((s) => s.name === name)).toBeUndefined();
      await expect(sandboxCli(['sandbox', 'stop', name])).rejects.toThrow(
        `no sandbox container named ${name}`,
      );
    });
  },
);
