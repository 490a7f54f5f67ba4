import type { Config } from '../../src-shared/config/schema.js';
import type { LogDestination } from '../logging/log-destination.js';
import type { ContainerSelf } from '../process/container-environment.js';

/** The container this process runs in, as seen from the inside, and where its UI is published. */
export interface ContainerFactSelf extends ContainerSelf {
  /**
   * `$CLAWDBOT_WEB_PUBLISH`: the host address compose.yaml publishes the web UI on (the same
   * variable feeds its `ports:`), or null when not said. The engine's port mapping itself
   * cannot be seen from inside the container.
   */
  webPublish: string | null;
}

/** Which kind of private file a mode belongs to; each kind has its own finding. */
export type PrivateFileKind = 'state-dir' | 'config' | 'database' | 'credentials';

/** A file or directory that must be private to the owner, with the mode found on disk. */
export interface FileFact {
  kind: PrivateFileKind;
  path: string;
  directory: boolean;
  /** Permission bits (`stat.mode & 0o777`). */
  mode: number;
}

/** One sandbox container as the engine reports it: only what can widen the sandbox. */
export interface ContainerFact {
  name: string;
  privileged: boolean;
  /** Host paths bound into the container. */
  bindSources: string[];
  capAdd: string[];
  networkMode: string;
}

/** What the engine said, if it was asked. */
export type DockerFact =
  | {
      reachable: true;
      containers: ContainerFact[];
      /** The OCI runtimes the engine lists (`docker info`); absent when it would not say. */
      runtimes?: string[];
    }
  | { reachable: false; error: string };

/** The config file as read: the parsed config, or why it was rejected. */
export type ConfigFact =
  { ok: true; config: Config; exists: boolean } | { ok: false; errors: string[] };

/**
 * Everything the checks look at, gathered once (see collect-input.ts) so that every check is a
 * pure function of it and can be tested against a table of inputs without touching the machine.
 */
export interface AuditInput {
  configPath: string;
  /** The file's text, or null when there is no file (the safe defaults apply). */
  configText: string | null;
  config: ConfigFact;
  /** Private files found on disk with their modes; empty where modes mean nothing (Windows). */
  files: FileFact[];
  /** Null when the engine was not asked. */
  docker: DockerFact | null;
  /** The address a running web mode is bound to, or null when none is running. */
  webHost: string | null;
  /**
   * Electron's `safeStorage.getSelectedStorageBackend()` on Linux (`basic_text`,
   * `gnome_libsecret`, `kwallet`…); null where it does not apply (web mode, CLI, macOS, Windows).
   */
  safeStorageBackend: string | null;
  /** The user's home directory, to recognise it among a container's mounts. */
  homeDir: string;
  /** Where the logs go: where configured, or the fallback (and why), or nowhere. */
  logs: LogDestination;
  /** The container this process runs in (Option A), or null/absent when not in one. */
  container?: ContainerFactSelf | null;
}
