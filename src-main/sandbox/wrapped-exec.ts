import type Docker from 'dockerode';
import { sandboxEnv } from './container-spec.js';
import { type ContainerExecOutcome, runContainerExec } from './container-exec.js';
import { prctlSyscallFor, wrapArgv } from './exec-wrapper.js';
import type { SandboxDockerConfig } from '../../src-shared/config/sandbox-schema.js';
import { type SandboxUser, dockerUser } from './sandbox-user.js';

/** How long the host keeps waiting after the in-container `timeout` should have fired. */
const HOST_GRACE_MS = 5000;

/** One command for {@link WrappedExec.run}. */
export interface WrappedExecRequest {
  /** argv; no shell unless the caller puts one there. */
  argv: string[];
  timeoutSec: number;
  /** Bytes for the command's stdin, which is closed after them. */
  stdin?: Buffer;
  maxOutputBytes: number;
  signal?: AbortSignal;
}

/**
 * Runs commands in sandbox containers the one way they may run: under the exec wrapper (its
 * timeout and cleanup, see exec-wrapper.ts), as the sandbox user, with only the sandbox
 * environment. Holds what every call needs and never changes: the user, the environment lines
 * and prctl's syscall number (asked of the engine once), so a call costs no work beyond the exec.
 */
export class WrappedExec {
  private readonly user: string;
  private readonly env: string[];
  private prctl: Promise<number | undefined> | undefined;

  constructor(
    private readonly docker: Docker,
    config: SandboxDockerConfig,
    user: SandboxUser,
  ) {
    this.user = dockerUser(user);
    this.env = sandboxEnv(config);
  }

  /** Runs `request` in the container `id`; see {@link runContainerExec} for what it throws. */
  async run(id: string, request: WrappedExecRequest): Promise<ContainerExecOutcome> {
    const prctl = await this.prctlSyscall();
    return runContainerExec(this.docker.getContainer(id), {
      cmd: wrapArgv(request.argv, request.timeoutSec, prctl),
      user: this.user,
      env: this.env,
      stdin: request.stdin,
      waitMs: request.timeoutSec * 1000 + HOST_GRACE_MS,
      maxOutputBytes: request.maxOutputBytes,
      signal: request.signal,
    });
  }

  /** prctl's syscall number on the engine's architecture, asked once per manager. */
  private prctlSyscall(): Promise<number | undefined> {
    this.prctl ??= this.docker
      .info()
      .then((info: { Architecture?: string }) => prctlSyscallFor(info.Architecture ?? ''))
      .catch(() => {
        // Asked again next time: this one failure says nothing about the architecture.
        this.prctl = undefined;
        return undefined;
      });
    return this.prctl;
  }
}
