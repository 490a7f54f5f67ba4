import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { cliLogging } from '../../logging/cli-logging.js';
import { formatTable, formatTimestamp } from '../table.js';
import { connectConfiguredDocker } from '../../docker/docker-client.js';
import { buildSandboxImage } from '../../sandbox/image-build.js';
import { SandboxManager, type SandboxInfo } from '../../sandbox/sandbox-manager.js';
import { describeError } from '../../../src-shared/errors/describe-error.js';
import { formatSpan } from '../../../src-shared/format/duration.js';

/**
 * What the `clawdbot sandbox …` commands do, loaded only when one runs (dockerode is slow to
 * load).
 */

/**
 * A manager over `$CLAWDBOT_STATE_DIR` with the config's `agent.sandbox` (so `prune` uses the
 * owner's idle and age limits), on the engine at `DOCKER_HOST` (or the local socket).
 */
export async function cliSandboxManager(context: CliContext): Promise<SandboxManager> {
  const { config, errors } = context.config().current();
  if (errors) {
    throw new CliError(
      `the config is invalid, so its sandbox settings are unknown:\n${errors.join('\n')}`,
    );
  }
  // No client-wide timeout: the manager bounds its own calls, and stats take a while.
  return new SandboxManager({
    stateDir: context.stateDir,
    config: config.agent.sandbox,
    docker: await connectConfiguredDocker(config.agent.sandbox.engine, 0),
    log: cliLogging(context).log.child('sandbox'),
  });
}

/** `clawdbot sandbox image build [--offline] [--tag] [--mirror]`. */
export async function buildImageCommand(
  options: {
    offline?: boolean;
    tag?: string;
    mirror?: string;
  },
  context: CliContext,
): Promise<void> {
  // On the engine sandboxes run on (agent.sandbox.engine), which may be another machine's.
  const engine = context.config().current().config.agent.sandbox.engine;
  const result = await buildSandboxImage({
    docker: await connectConfiguredDocker(engine, 0).catch((error: unknown) => {
      throw new CliError(describeError(error));
    }),
    offline: options.offline === true,
    tag: options.tag,
    mirror: options.mirror,
    onProgress: (line) => process.stdout.write(`${line}\n`),
  }).catch((error: unknown) => {
    throw new CliError(describeError(error));
  });
  process.stdout.write(`${result.tag} is ready (${result.imageId})\n`);
}

/** `clawdbot sandbox list [--json]`. */
export async function listSandboxesCommand(context: CliContext, json: boolean): Promise<void> {
  const manager = await cliSandboxManager(context);
  const sandboxes = await manager.list();
  if (json) {
    process.stdout.write(`${JSON.stringify(sandboxes)}\n`);
    return;
  }
  if (sandboxes.length === 0) {
    process.stdout.write('no sandbox containers\n');
    return;
  }
  process.stdout.write(
    `${formatTable(
      ['name', 'session', 'state', 'image', 'age', 'last use', 'cpu', 'memory'],
      sandboxes.map(sandboxRow),
    )}\n`,
  );
}

function sandboxRow(s: SandboxInfo): string[] {
  return [
    s.name,
    s.sessionKey ?? '-',
    s.state,
    s.image,
    formatSpan(s.ageMs),
    formatTimestamp(s.lastUsedAtMs),
    s.usage ? `${s.usage.cpuPercent.toFixed(1)}%` : '-',
    s.usage ? `${formatMiB(s.usage.memoryBytes)} / ${formatMiB(s.usage.memoryLimitBytes)}` : '-',
  ];
}

/** `clawdbot sandbox stop <name>`. */
export async function stopSandboxCommand(context: CliContext, name: string): Promise<void> {
  const manager = await cliSandboxManager(context);
  const removed = await manager.stop(name).catch((error: unknown) => {
    throw new CliError(describeError(error));
  });
  if (!removed) throw new CliError(`no sandbox container named ${name}`);
  process.stdout.write(`stopped and removed ${name} (its workspace is kept)\n`);
}

/** `clawdbot sandbox prune [--json]`. */
export async function pruneSandboxesCommand(context: CliContext, json: boolean): Promise<void> {
  const manager = await cliSandboxManager(context);
  const pruned = await manager.prune();
  if (json) {
    process.stdout.write(`${JSON.stringify(pruned)}\n`);
    return;
  }
  const { idleHours, maxAgeDays } = manager.config.prune;
  if (pruned.length === 0) {
    process.stdout.write(
      `nothing to prune (idle > ${idleHours} h or older than ${maxAgeDays} d)\n`,
    );
    return;
  }
  for (const p of pruned) {
    process.stdout.write(
      `removed ${p.name} (${p.sessionKey ?? 'no session'}): ${p.why === 'idle' ? `idle > ${idleHours} h` : `older than ${maxAgeDays} d`}\n`,
    );
  }
}

function formatMiB(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}
