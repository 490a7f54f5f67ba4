import { join } from 'node:path';
import { Command } from 'commander';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CliContext } from '../../src-main/cli/cli-context.js';
import { registerSandboxCommands } from '../../src-main/cli/commands/sandbox.js';
import type { SandboxInfo } from '../../src-main/sandbox/sandbox-manager.js';
import { dockerAvailable } from '../helpers/docker.js';
import { SANDBOX_IMAGE_BUILD_TIMEOUT_MS, sandboxImageMissing } from '../helpers/sandbox-image.js';
import { useSandboxRun } from './sandbox-test-kit.js';

const hasDocker = await dockerAvailable();

/** Runs `clawdbot <args>` in-process with only the sandbox commands; returns what it printed. */
async function sandboxCli(stateDir: string, args: string[]): Promise<string> {
  const program = new Command('clawdbot').exitOverride();
  registerSandboxCommands(
    program,
    new CliContext({ ...process.env, CLAWDBOT_STATE_DIR: stateDir }),
  );
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
    const sandboxes = useSandboxRun('cli');
    const stateDir = join(sandboxes.dir, 'state');
    const session = `group:telegram:${sandboxes.run}`;
    let name: string;

    beforeAll(async () => {
      name = (await sandboxes.manager({ stateDir }).ensure(session)).name;
    }, SANDBOX_IMAGE_BUILD_TIMEOUT_MS);

    it('list shows the sandbox with its session, as a table and as JSON', async () => {
      const table = await sandboxCli(stateDir, ['sandbox', 'list']);
      expect(table).toMatch(/^NAME\s+SESSION\s+STATE\s+IMAGE\s+AGE\s+LAST USE\s+CPU\s+MEMORY$/m);
      expect(table).toMatch(
        new RegExp(`^${name}\\s+${session}\\s+running\\s+clawdbot-sandbox`, 'm'),
      );
      const json = JSON.parse(
        await sandboxCli(stateDir, ['sandbox', 'list', '--json']),
      ) as SandboxInfo[];
      expect(json.find((s) => s.name === name)).toMatchObject({ sessionKey: session });
    });

    it('prune removes nothing that is in use', async () => {
      expect(await sandboxCli(stateDir, ['sandbox', 'prune'])).toMatch(/^nothing to prune/);
    });

    it('stop removes the container and keeps the workspace; an unknown name is an error', async () => {
      expect(await sandboxCli(stateDir, ['sandbox', 'stop', name])).toBe(
        `stopped and removed ${name} (its workspace is kept)\n`,
      );
      const json = JSON.parse(
        await sandboxCli(stateDir, ['sandbox', 'list', '--json']),
      ) as SandboxInfo[];
      expect(json.find((s) => s.name === name)).toBeUndefined();
      await expect(sandboxCli(stateDir, ['sandbox', 'stop', name])).rejects.toThrow(
        `no sandbox container named ${name}`,
      );
    });
  },
);
