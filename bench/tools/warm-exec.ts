import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { prctlSyscallFor, wrapArgv } from '../../src-main/sandbox/exec-wrapper.js';
import type { SandboxManager } from '../../src-main/sandbox/sandbox-manager.js';
import { runBashTool } from './bash-tool.js';
import { previousWrappedBash } from './previous-wrapper.js';
import { rawApiExec } from './raw-exec.js';

const execFileAsync = promisify(execFile);

/** One run of the warm figures, in ms: the tool call and its baselines, same container. */
export interface WarmSample {
  /** `runBashTool(…, 'true')`: the agent's bash tool path. */
  tool: number;
  /** `docker exec <container> true` through the CLI (the anchor's approach). */
  cli: number;
  /** A bare Docker API exec of `true`: create, start, stream end, inspect. */
  raw: number;
  /** Diagnostic: the same bare exec of what the tool runs (wrapper + `bash -c true`). */
  rawWrapped: number;
  /** Diagnostic: the same bare exec of what the tool ran before (old wrapper + `bash -lc`). */
  rawPrevious: number;
}

type Op = () => Promise<void>;

/**
 * The warm-exec measurements: every figure on the same running sandbox, taken in a rotating
 * order within each run so that none always goes first (or last) after the others.
 */
export class WarmExecBench {
  private constructor(
    private readonly docker: Docker,
    private readonly sandboxes: SandboxManager,
    private readonly sessionKey: string,
    private readonly prctl: number | undefined,
  ) {}

  static async create(
    docker: Docker,
    sandboxes: SandboxManager,
    sessionKey: string,
  ): Promise<WarmExecBench> {
    const info = (await docker.info()) as { Architecture?: string };
    await sandboxes.ensure(sessionKey);
    return new WarmExecBench(
      docker,
      sandboxes,
      sessionKey,
      prctlSyscallFor(info.Architecture ?? ''),
    );
  }

  /** One run. Throws (to be retried) if the container was replaced meanwhile. */
  async sample(run: number): Promise<WarmSample> {
    const handle = await this.sandboxes.ensure(this.sessionKey);
    const container = this.docker.getContainer(handle.id);
    const user = (await container.inspect()).Config.User;
    const times: Partial<WarmSample> = {};
    const ops: [keyof WarmSample, Op][] = [
      ['tool', () => this.tool()],
      ['cli', () => cli(handle.name)],
      ['raw', () => expectZero(rawApiExec(container, ['true'], user))],
      [
        'rawWrapped',
        () =>
          expectZero(
            rawApiExec(container, wrapArgv(['bash', '-c', 'true'], 120, this.prctl), user),
          ),
      ],
      [
        'rawPrevious',
        () => expectZero(rawApiExec(container, previousWrappedBash('true', this.prctl), user)),
      ],
    ];
    for (let i = 0; i < ops.length; i++) {
      const [key, op] = ops[(run + i) % ops.length]!;
      const t0 = performance.now();
      await op();
      times[key] = performance.now() - t0;
    }
    // A concurrent test run (the kill switch's test removes every sandbox) can take the container
    // away mid-run; the tool call would then have timed a cold start, so the run is void.
    if ((await this.sandboxes.ensure(this.sessionKey)).id !== handle.id) {
      throw new Error('the sandbox was replaced during the run');
    }
    return times as WarmSample;
  }

  private async tool(): Promise<void> {
    const result = await runBashTool(this.sandboxes, this.sessionKey, 'true');
    if (!result.ok || result.where !== 'sandbox') {
      throw new Error(`the bash tool ran \`true\` → ${result.content}`);
    }
  }
}

async function cli(container: string): Promise<void> {
  // execFile rejects on a non-zero exit.
  await execFileAsync('docker', ['exec', container, 'true']);
}

async function expectZero(exit: Promise<number | null>): Promise<void> {
  const code = await exit;
  if (code !== 0) throw new Error(`a raw exec exited with ${String(code)}`);
}
