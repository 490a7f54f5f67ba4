import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { defaultConfig, type Config } from '../../src-shared/config/schema.js';
import { loadConfig, loadConfigSync, type ConfigResult } from './load-config.js';

/** What the running processes see: the config in force, and the last edit's errors if it was rejected. */
export interface ConfigState {
  /** The last good config (safe defaults if the file was never valid): an invalid edit never replaces it. */
  config: Config;
  path: string;
  /** Errors of the current file content, or null when it is the config in force. */
  errors: string[] | null;
}

/**
 * Keeps the last good config and reloads when the file changes. Watches the directory, not the
 * file, because editors save by replacing the file; debounced, because they also write twice.
 */
export class ConfigWatcher {
  private state: ConfigState;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<(state: ConfigState) => void>();

  constructor(
    private readonly path: string,
    private readonly debounceMs = 100,
  ) {
    const first = loadConfigSync(path);
    this.state = first.ok
      ? { config: first.config, path, errors: null }
      : { config: defaultConfig, path, errors: first.errors };
  }

  current(): ConfigState {
    return this.state;
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

  private apply(result: ConfigResult): void {
    const next: ConfigState = result.ok
      ? { config: result.config, path: this.path, errors: null }
      : { config: this.state.config, path: this.path, errors: result.errors };
    if (JSON.stringify(next) === JSON.stringify(this.state)) return;
    this.state = next;
    for (const listener of this.listeners) listener(next);
  }
}
