import type Docker from 'dockerode';
import { directlyFrozen, killFrozenCgroup } from '../docker/cgroup-freezer.js';
import { INSTALLATION_LABEL, SANDBOX_LABEL, SESSION_KEY_LABEL } from '../docker/sandbox-labels.js';
import {
  type EngineRuntimeInfo,
  missingRuntimeMessage,
  runtimeStatus,
} from '../docker/engine-runtime.js';
import {
  SPEC_HASH_LABEL,
  WORKSPACE_DEVICE_LABEL,
  buildContainerSpec,
  containerSpecHash,
  podmanWorkspaceVolume,
  podmanWorkspaceVolumeName,
} from './container-spec.js';
import { type ContainerExecOutcome, ExecNotStartedError } from './container-exec.js';
import { controlDeadline } from './docker-control.js';
import { dockerStatus } from '../docker/docker-errors.js';
import { isStoppedMidRemoval } from '../docker/sandbox-freeze.js';
import { asSandboxUnavailable, imageMissingError } from './docker-failures.js';
import type { SandboxConfig } from '../../src-shared/config/sandbox-schema.js';
import { SandboxUnavailableError } from './sandbox-errors.js';
import { sandboxContainerName } from './sandbox-names.js';
import type { SandboxHandle } from './sandbox-types.js';
import type { SandboxUser } from './sandbox-user.js';
import { ensureWorkspace } from './workspace.js';
import type { WorkspaceImages, WorkspaceSource } from './workspace-image.js';
import type { WrappedExec } from './wrapped-exec.js';

/** `setupCommand` is bounded like any command, only more generously. */
const SETUP_TIMEOUT_SEC = 600;

/** What {@link ContainerLifecycle} works with, fixed for a manager's life. */
export interface LifecycleDeps {
  docker: Docker;
  config: SandboxConfig;
  stateDir: string;
  /** This installation's id: its containers' names and labels carry it. */
  installationId: string;
  user: SandboxUser;
  now: () => number;
  exec: WrappedExec;
  workspaces: WorkspaceImages;
}

/**
 * Brings sandbox containers into being and out of it: one per scope key, created on first use,
 * remembered while warm (a warm call costs no Docker round trip), replaced when created from
 * another config, removed on request. Concurrent first calls share one creation.
 *
 * Before any start of a container — creation, a stopped one, a restart — the workspace helper
 * finds (or attaches) the loop device that holds this scope key's workspace image, because
 * starting is when the engine mounts it: a container whose device label differs (after a
 * reboot the number may hold another workspace) is replaced, never started.
 */
export class ContainerLifecycle {
  private readonly warm = new Map<string, SandboxHandle>();
  private readonly preparing = new Map<string, Promise<SandboxHandle>>();

  constructor(private readonly deps: LifecycleDeps) {}

  /**
   * Makes sure the scope key's container exists and runs: reuse it while warm; otherwise
   * inspect, start it if stopped, replace it if it was created from another config, create it
   * if missing (then run `setupCommand` once).
   */
  async ensure(scopeKey: string): Promise<SandboxHandle> {
    const name = sandboxContainerName(scopeKey, this.deps.installationId);
    const warm = this.warm.get(name);
    if (warm) return { ...warm, created: false };
    const joined = this.preparing.get(name);
    // Concurrent first calls share one creation; only the call that started it reports it.
    if (joined) return { ...(await joined), created: false };
    const pending = this.prepare(scopeKey, name).finally(() => this.preparing.delete(name));
    this.preparing.set(name, pending);
    return pending;
  }

  /** Drops a container from the warm set: the next call inspects it from scratch. */
  forget(name: string): void {
    this.warm.delete(name);
  }

  /**
   * Force-removes a container (and forgets it), and on Podman its workspace volume (a record
   * only: the files are in the image); one that is already gone is fine.
   */
  async remove(id: string, name: string): Promise<void> {
    this.forget(name);
    const removal = (): Promise<void> =>
      this.deps.docker
        .getContainer(id)
        .remove({ force: true, v: true, abortSignal: controlDeadline() }) as Promise<void>;
    try {
      // Once more when Podman stopped a frozen container on the way (see isStoppedMidRemoval).
      await removal().catch((error: unknown) => {
        if (isStoppedMidRemoval(error)) return removal();
        throw error;
      });
    } catch (error) {
      if (dockerStatus(error) !== 404)
        throw asSandboxUnavailable(this.deps.docker, `removing ${name}`, error);
    }
    if ((await this.deps.workspaces.engineKind()) === 'podman') await this.removeVolume(name);
  }

  /** Removes the Podman volume of the container `name`'s workspace, if there is one. */
  private async removeVolume(name: string): Promise<void> {
    try {
      await this.deps.docker
        .getVolume(podmanWorkspaceVolumeName(name))
        .remove({ force: true, abortSignal: controlDeadline() });
    } catch (error) {
      if (dockerStatus(error) !== 404)
        throw asSandboxUnavailable(this.deps.docker, `removing ${name}'s workspace volume`, error);
    }
  }

  /**
   * Restarts a container at once: kills every process in it (the workspace stays). It is
   * stopped, then brought back like any stopped container, so its workspace device is checked
   * before it is mounted again; the handle may name a new container.
   */
  async restart(handle: SandboxHandle): Promise<SandboxHandle> {
    this.forget(handle.name);
    try {
      await this.deps.docker.getContainer(handle.id).stop({ t: 0, abortSignal: controlDeadline() });
    } catch (error) {
      const status = dockerStatus(error);
      if (status !== 304 && status !== 404)
        throw asSandboxUnavailable(this.deps.docker, `stopping ${handle.name}`, error);
    }
    return this.ensure(handle.scopeKey);
  }

  private async prepare(scopeKey: string, name: string): Promise<SandboxHandle> {
    const { docker, config, stateDir, user } = this.deps;
    const workspaceDir = ensureWorkspace(stateDir, scopeKey);
    const specHash = containerSpecHash({
      scopeKey,
      workspaceDir,
      config: config.docker,
      workspace: config.workspace,
      user,
    });
    const container = docker.getContainer(name);
    let info: Docker.ContainerInspectInfo | undefined;
    try {
      info = await container.inspect({ abortSignal: controlDeadline() });
    } catch (error) {
      if (dockerStatus(error) !== 404)
        throw asSandboxUnavailable(docker, `inspecting ${name}`, error);
    }
    if (info) {
      const labels = info.Config.Labels ?? {};
      if (
        labels[SANDBOX_LABEL] !== '1' ||
        labels[SESSION_KEY_LABEL] !== scopeKey ||
        labels[INSTALLATION_LABEL] !== this.deps.installationId
      ) {
        throw new SandboxUnavailableError(
          'container-failed',
          `a container named ${name} exists but is not this session's sandbox (of this installation); refusing to use it`,
        );
      }
      // Frozen in the kernel by a kill switch that did not get to remove it: the engine still
      // calls it running, and an exec in it would hang.
      const frozen = info.State.Running ? directlyFrozen(info.Id) : null;
      if (labels[SPEC_HASH_LABEL] !== specHash || info.State.Paused || frozen !== null) {
        // Created from another config (e.g. before the owner tightened it): replace it. A paused
        // one was frozen on its way to removal (the kill switch, `sandbox stop`) and is never
        // resumed, whatever froze it: it is replaced too (the workspace is kept).
        if (frozen !== null) killFrozenCgroup(frozen);
        await this.remove(info.Id, name);
        info = undefined;
      }
    }
    let created = false;
    let id: string;
    if (info?.State.Running) {
      // Running: its workspace is mounted, and a mounted device cannot change.
      id = info.Id;
    } else {
      // Before anything is attached or started: a start is where the engine needs the runtime.
      await this.checkRuntime();
      const source = await this.deps.workspaces.attach(workspaceDir, config.workspace.maxMiB, user);
      const device = workspaceDevice(source);
      if (info && info.Config.Labels?.[WORKSPACE_DEVICE_LABEL] !== device) {
        // Its volume would mount whatever that device number holds now: replace it.
        await this.remove(info.Id, name);
        info = undefined;
      }
      if (info) {
        id = info.Id;
        try {
          await container.start({ abortSignal: controlDeadline() });
        } catch (error) {
          if (dockerStatus(error) !== 304)
            throw asSandboxUnavailable(docker, `starting ${name}`, error);
        }
      } else {
        id = await this.create(scopeKey, name, workspaceDir, source);
        created = true;
      }
    }
    const handle: SandboxHandle = { name, id, scopeKey, workspaceDir, created };
    if (created) await this.runSetup(handle);
    this.warm.set(name, { ...handle, created: false });
    return handle;
  }

  private async create(
    scopeKey: string,
    name: string,
    workspaceDir: string,
    source: WorkspaceSource,
  ): Promise<string> {
    const { docker, config, user, now, installationId } = this.deps;
    const workspace = {
      name,
      installationId,
      workspaceDir,
      workspaceDevice: workspaceDevice(source),
    };
    let workspaceVolume: string | undefined;
    if (source.kind === 'image-file') {
      // A volume left by a container removed elsewhere (the kill switch, `sandbox stop`) may
      // name another image: made afresh for every new container.
      await this.removeVolume(name);
      try {
        workspaceVolume = (
          await docker.createVolume({
            ...podmanWorkspaceVolume(workspace),
            abortSignal: controlDeadline(),
          } as Docker.VolumeCreateOptions)
        ).name;
      } catch (error) {
        throw asSandboxUnavailable(docker, `creating ${name}'s workspace volume`, error);
      }
    }
    const spec = buildContainerSpec({
      ...workspace,
      ...(workspaceVolume !== undefined ? { workspaceVolume } : {}),
      scopeKey,
      config: config.docker,
      workspace: config.workspace,
      user,
      createdAtMs: now(),
    });
    let container: Docker.Container;
    try {
      container = await docker.createContainer({ ...spec, abortSignal: controlDeadline() });
    } catch (error) {
      if (dockerStatus(error) === 404) throw imageMissingError(config.docker.image, error);
      throw asSandboxUnavailable(docker, `creating ${name}`, error);
    }
    try {
      await container.start({ abortSignal: controlDeadline() });
    } catch (error) {
      // The start's failure is what is reported; a container left behind is labelled, so the
      // next ensure, prune or the kill switch removes it.
      await this.remove(container.id, name).catch(() => undefined);
      throw asSandboxUnavailable(docker, `starting ${name}`, error);
    }
    return container.id;
  }

  /**
   * Refuses to create or start a container when the engine does not list the configured
   * runtime: the engine's own refusal ("unknown or invalid runtime name") names no fix, and a
   * sandbox must never quietly run under another runtime than the owner chose. Asked on every
   * cold start (not on warm calls), so registering the runtime needs no restart of Clawdbot.
   */
  private async checkRuntime(): Promise<void> {
    const { docker, config } = this.deps;
    const configured = config.docker.runtime;
    if (configured === undefined) return;
    let info: EngineRuntimeInfo;
    try {
      // dockerode's info() takes an abort signal like every call; its typings omit the options.
      const ask = docker.info.bind(docker) as (options: {
        abortSignal: AbortSignal;
      }) => Promise<EngineRuntimeInfo>;
      info = await ask({ abortSignal: controlDeadline() });
    } catch (error) {
      throw asSandboxUnavailable(docker, 'asking the engine for its runtimes', error);
    }
    const status = runtimeStatus(info, configured);
    if (!status.available) {
      throw new SandboxUnavailableError('runtime-missing', missingRuntimeMessage(status));
    }
  }

  private async runSetup(handle: SandboxHandle): Promise<void> {
    const setup = this.deps.config.docker.setupCommand;
    if (setup === undefined) return;
    let outcome: ContainerExecOutcome;
    try {
      // Setup keeps the login shell it always had (tool commands no longer use one): it runs
      // once per container, so the profile's milliseconds do not matter, and existing setup
      // commands may rely on what the profile scripts set.
      outcome = await this.deps.exec.run(handle.id, {
        argv: ['bash', '-lc', setup],
        timeoutSec: SETUP_TIMEOUT_SEC,
        maxOutputBytes: 4096,
      });
    } catch (error) {
      // As above: the setup's failure is reported, a container left behind is swept later.
      await this.remove(handle.id, handle.name).catch(() => undefined);
      throw asSandboxUnavailable(
        this.deps.docker,
        `setupCommand in ${handle.name}`,
        error instanceof ExecNotStartedError ? error.cause : error,
      );
    }
    if (outcome.exitCode !== 0) {
      // A half-set-up sandbox would be reused while warm: remove it so the next call retries
      // (one that cannot be removed is re-inspected and replaced by that next call).
      await this.remove(handle.id, handle.name).catch(() => undefined);
      throw new SandboxUnavailableError(
        'container-failed',
        `setupCommand failed in ${handle.name} (exit ${String(outcome.exitCode)}): ${outcome.stderr.text().trim()}`,
      );
    }
  }
}

/** The workspace's source as the container's label records it: the device, or the image file. */
function workspaceDevice(source: WorkspaceSource): string {
  switch (source.kind) {
    case 'loop-device':
      return source.device;
    case 'image-file':
      return source.path;
    default: {
      const never: never = source;
      throw new Error(`unknown workspace source ${String(never)}`);
    }
  }
}
