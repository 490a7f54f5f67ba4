import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ConfigSchema, defaultConfig, type Config } from '../../src-shared/config/schema.js';
import type { ConfigStatus } from '../../src-shared/domain/config-status.js';
import type { LastGoodConfigStore } from '../store/config-repo.js';
import { loadConfig, loadConfigSync, type ConfigResult } from './load-config.js';

/** What the running processes see: the config in force, and the file's errors if it was rejected. */
export interface ConfigState {
  /** The config in force: an invalid file never replaces it. */
  config: Config;
  path: string;
  /** Errors of the current file content, or null when it is the config in force. */
  errors: string[] | null;
  /**
   * Where `config` came from: the file as it is, the last good config (kept in memory since the
   * file was valid, or saved in the database by any process), or the safe defaults.
   */
  source: 'file' | 'last-good' | 'defaults';
  /** When the config in force was first seen valid (null on defaults or without a store). */
  lastGoodAt: number | null;
}

/** What a ConfigService needs beyond the path. */
export interface ConfigServiceOptions {
  /** Where the last good config is saved (SQLite); without it, a broken file at start means defaults. */
  store?: LastGoodConfigStore | null;
  debounceMs?: number;
  now?: () => number;
}

/** The outward shape of a config state: what status and the UI show. */
export function configStatusOf(state: ConfigState): ConfigStatus {
  return {
    path: state.path,
    state: state.errors === null ? 'valid' : state.source === 'defaults' ? 'rejected' : 'last-good',
    errors: state.errors ?? [],
    lastGoodAt: state.lastGoodAt,
  };
}

/**
 * The config of one process: the config in force, the last good one, the file's errors, and
 * change events. A valid file is saved as the last good config; a file that is invalid at start
 * (half-written, a bad edit) means the last good config saved by any process, never silent
 * defaults; an invalid edit while running keeps the config in force. Watches the directory, not
 * the file, because editors save by replacing the file; debounced, because they also write twice.
 */
export class ConfigService {
  private state: ConfigState;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<(state: ConfigState) => void>();
  private readonly store: LastGoodConfigStore | null;
  private readonly debounceMs: number;
  private readonly now: () => number;

  constructor(
    private readonly path: string,
    options: ConfigServiceOptions = {},
  ) {
    this.store = options.store ?? null;
    this.debounceMs = options.debounceMs ?? 100;
    this.now = options.now ?? Date.now;
    this.state = this.first(loadConfigSync(path));
  }

  /** The config in force and the file's health. */
  current(): ConfigState {
    return this.state;
  }

  /** The file's health, as status and the UI show it. */
  status(): ConfigStatus {
    return configStatusOf(this.state);
  }

  onChange(listener: (state: ConfigState) => void, signal?: AbortSignal): void {
    this.listeners.add(listener);
    signal?.addEventListener('abort', () => this.listeners.delete(listener), { once: true });
  }

  /** Starts watching; the directory must exist (it is the state directory or the user's choice). */
  start(): this {
    const file = basename(this.path);
    try {
      this.watcher = watch(dirname(this.path), (_event, name) => {
        if (name === null || name === file) this.schedule();
      });
      this.watcher.on('error', () => undefined);
    } catch {
      // A directory that does not exist yet cannot be watched; reload() still works.
    }
    return this;
  }

  /** Re-reads the file now. */
  async reload(): Promise<ConfigState> {
    this.apply(await loadConfig(this.path));
    return this.state;
  }

  stop(): void {
    this.watcher?.close();
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), this.debounceMs);
  }

  /** At start, an invalid file falls back to the saved last good config, else the defaults. */
  private first(result: ConfigResult): ConfigState {
    if (result.ok) return this.accept(result);
    const saved = this.readLastGood();
    if (saved) {
      return {
        config: saved.config,
        path: this.path,
        errors: result.errors,
        source: 'last-good',
        lastGoodAt: saved.savedAt,
      };
    }
    return {
      config: defaultConfig,
      path: this.path,
      errors: result.errors,
      source: 'defaults',
      lastGoodAt: null,
    };
  }

  private accept(result: Extract<ConfigResult, { ok: true }>): ConfigState {
    // A missing file is the documented way to run on defaults: nothing to keep.
    const lastGoodAt = result.exists ? this.saveLastGood(result.raw) : null;
    return { config: result.config, path: this.path, errors: null, source: 'file', lastGoodAt };
  }

  private apply(result: ConfigResult): void {
    const next: ConfigState = result.ok
      ? this.accept(result)
      : {
          ...this.state,
          errors: result.errors,
          source: this.state.source === 'defaults' ? 'defaults' : 'last-good',
        };
    if (JSON.stringify(next) === JSON.stringify(this.state)) return;
    this.state = next;
    for (const listener of this.listeners) listener(next);
  }

  private saveLastGood(raw: unknown): number | null {
    try {
      return this.store?.save(this.path, raw, this.now()) ?? null;
    } catch {
      // A locked or read-only database must not cost the process its (valid) config.
      return null;
    }
  }

  private readLastGood(): { config: Config; savedAt: number } | null {
    let saved;
    try {
      saved = this.store?.read(this.path) ?? null;
    } catch {
      // An unreadable database (locked, older schema) holds no last good config we can use:
      // the defaults, with the file's errors shown, as with none saved.
      return null;
    }
    if (!saved) return null;
    // Validated again: the schema may have changed since it was saved (an upgrade).
    const parsed = ConfigSchema.safeParse(saved.raw);
    return parsed.success ? { config: parsed.data, savedAt: saved.savedAt } : null;
  }
}
