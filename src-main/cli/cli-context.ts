import { ConfigService } from '../config/config-service.js';
import { openConfigService } from '../config/open-config-service.js';
import { resolveConfigPath, resolveStateDir } from '../state-layout.js';
import { lastGoodConfigOfStateDir } from '../store/config-repo.js';

/**
 * What every command of one `clawdbot` run shares, made once by the CLI's composition root
 * (`runCli`): the environment, the state directory, the config file's path and the process's one
 * ConfigService. Commands take it as an argument instead of resolving paths or loading the
 * config themselves, so they all see the same config, and a test can run one with its own
 * environment.
 */
export class CliContext {
  /** `$CLAWDBOT_STATE_DIR` or the default. */
  readonly stateDir: string;
  /** The config file: `$CLAWDBOT_CONFIG_PATH` or the state directory's. */
  readonly configPath: string;
  private service: ConfigService | null = null;

  constructor(readonly env: NodeJS.ProcessEnv = process.env) {
    this.stateDir = resolveStateDir(env);
    this.configPath = resolveConfigPath(this.stateDir, env);
  }

  /**
   * The process's ConfigService, made on first use: the file, or while it is invalid the last
   * good config saved in the database (what a gateway starting now runs on). The database is
   * read where it exists, never created for it.
   */
  config(): ConfigService {
    this.service ??= new ConfigService(this.configPath, {
      store: lastGoodConfigOfStateDir(this.stateDir),
    });
    return this.service;
  }

  /**
   * The process's ConfigService for a command that runs until stopped (a foreground gateway, a
   * headless supervisor): it keeps the last good config in the database, which it opens for the
   * process's lifetime, and follows edits to the file. Call it instead of {@link config}, first.
   */
  followConfig(): ConfigService {
    this.service ??= openConfigService(this.stateDir, this.env);
    return this.service;
  }

  /** Stops following the config (the run is over). */
  close(): void {
    this.service?.stop();
  }
}
