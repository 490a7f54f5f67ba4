import type { EngineAddress } from '../../src-shared/domain/engine-health.js';
import type { EngineKind } from '../docker/engine-kind.js';
import type Docker from 'dockerode';
import type { DoctorCheck } from '../../src-shared/domain/doctor.js';
import type { AuditInput } from '../audit/audit-input.js';
import type { ConfigState } from '../config/config-service.js';

/** Where `clawdbot doctor` looks, and what only the calling process knows. */
export interface DoctorContext {
  stateDir: string;
  configPath: string;
  /** The environment keys, tokens and `DOCKER_HOST` are read from. */
  env: NodeJS.ProcessEnv;
  /** The repository (or packaged app) root: `package.json`, `node_modules/electron`, `.native/`. */
  appRoot: string;
  /**
   * Connects to the Docker engine with a per-request timeout (0: none, for an image build);
   * the default connects to `DOCKER_HOST` or the local socket.
   */
  docker?: (timeoutMs: number) => Promise<Docker>;
  /**
   * The desktop app's keychain key, when this process can know it: the supervisor knows (a key
   * or null); the CLI cannot read the keychain (undefined).
   */
  keychainKey?: string | null;
  /** The desktop app's keychain bot token, when this process can know it (as `keychainKey`). */
  keychainTelegramToken?: string | null;
}

/** The schema version of the database as found, read without migrating it. */
export type DatabaseFact =
  | { state: 'missing' }
  | { state: 'found'; version: number }
  | { state: 'unreadable'; error: string };

/** What the engine said, if it answered. */
export type EngineFact =
  | {
      ok: true;
      client: Docker;
      endpoint: string;
      version: string;
      /** Docker's engine, or Podman's Docker-compatible service. */
      kind: EngineKind;
      runtimes: string[];
      /** Where the engine is and how it is reached (when resolved from the config here). */
      address?: EngineAddress;
      /** This installation's sandbox containers on it (null when the id cannot be read). */
      sandboxes?: number | null;
    }
  | { ok: false; endpoint: string; error: unknown };

/** Everything several checks look at, gathered once and read-only (nothing is created). */
export interface DoctorFacts {
  /** The config in force, as a process starting now would have it (file, last good, defaults). */
  config: ConfigState;
  database: DatabaseFact;
  engine: EngineFact;
  /** The private files and the log destination, as the security audit gathers them. */
  files: AuditInput;
}

/** Builds a check's outcome, its id and title filled in. */
export interface Outcome {
  ok: (summary: string) => DoctorCheck;
  info: (summary: string, fix?: string | null) => DoctorCheck;
  warning: (summary: string, fix: string, fixable?: boolean) => DoctorCheck;
  error: (summary: string, fix: string, fixable?: boolean) => DoctorCheck;
}

/** One check: its id and title, and how it reads the facts (the network checks ask once). */
export interface DoctorCheckDef {
  id: string;
  title: string;
  run: (context: DoctorContext, facts: DoctorFacts) => Promise<DoctorCheck>;
}

/** Defines a check; `run` builds its outcome with `o`. */
export function defineCheck(
  id: string,
  title: string,
  run: (
    context: DoctorContext,
    facts: DoctorFacts,
    o: Outcome,
  ) => DoctorCheck | Promise<DoctorCheck>,
): DoctorCheckDef {
  const make = (
    status: DoctorCheck['status'],
    summary: string,
    fix: string | null,
    fixable: boolean,
  ): DoctorCheck => ({ id, title, status, summary, fix, fixable });
  const o: Outcome = {
    ok: (summary) => make('ok', summary, null, false),
    info: (summary, fix = null) => make('info', summary, fix, false),
    warning: (summary, fix, fixable = false) => make('warning', summary, fix, fixable),
    error: (summary, fix, fixable = false) => make('error', summary, fix, fixable),
  };
  return { id, title, run: async (context, facts) => run(context, facts, o) };
}
