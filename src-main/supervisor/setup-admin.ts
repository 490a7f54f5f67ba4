import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { GrammyError } from 'grammy';
import { AppError } from '../../src-shared/domain/app-error.js';
import { MESSAGING_PROVIDERS } from '../../src-shared/domain/providers.js';
import type { SetupState, SetupStep, TelegramBot } from '../../src-shared/domain/setup.js';
import type { ConfigService } from '../config/config-service.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { addProcessSecrets } from '../logging/redact.js';
import { SECRETS } from '../secret-registry.js';
import { credentialsDir, resolveTokenPath } from '../state-layout.js';
import { createOwnerClaimsRepo, type OwnerClaimsRepo } from '../store/owner-claims-repo.js';
import { createSetupProgressRepo, type SetupProgressRepo } from '../store/setup-progress-repo.js';
import type { ConfigAdmin } from './config-admin.js';
import { KeychainSlot } from './keychain-store.js';
import type { ConfigChange } from '../../src-shared/domain/config-edit.js';
import { join } from 'node:path';

/** How long `getMe` may take before the Bot API counts as not answering. */
const GET_ME_TIMEOUT_SECONDS = 10;
/** Where the setup flow keeps a pasted bot token: a private file the audit checks. */
const TOKEN_FILE_NAME = 'telegram-token';

/**
 * Why `getMe` failed, in words, without the token: Telegram said no (401: the token; 404: the
 * server address or a malformed token), or the server could not be reached.
 */
function getMeFailure(error: unknown, token: string, telegramError: typeof GrammyError): string {
  if (error instanceof telegramError) {
    if (error.error_code === 401) return 'Telegram rejected the bot token (401 Unauthorized)';
    if (error.error_code === 404) {
      return 'the Bot API answered 404 Not Found to getMe: check the token and the server address';
    }
    return `Telegram answered ${error.error_code}: ${error.description}`.split(token).join('…');
  }
  return `the Bot API could not be reached: ${describeError(error)}`.split(token).join('…');
}

/**
 * The first-run setup's side in the supervisor: its progress (kept in the database, so it
 * resumes), the one-time owner code the gateway recognises, and the Telegram token, checked
 * live before it is kept. Every config change goes through `ConfigAdmin`, the one validated,
 * comment-preserving editor.
 */
export class SetupAdmin {
  private readonly claims: OwnerClaimsRepo;
  private readonly progress: SetupProgressRepo;

  constructor(
    db: Database,
    private readonly stateDir: string,
    private readonly config: ConfigService,
    private readonly configAdmin: ConfigAdmin,
    private readonly env: NodeJS.ProcessEnv,
    /** The desktop app's keychain for the token; headless has none and keeps a private file. */
    private readonly keychain: KeychainSlot = new KeychainSlot(null, 'no keychain here'),
    private readonly now: () => number = Date.now,
  ) {
    this.claims = createOwnerClaimsRepo(db);
    this.progress = createSetupProgressRepo(db);
  }

  state(): SetupState {
    const progress = this.progress.read();
    const claim = this.claims.latest();
    const state = this.config.current();
    const envVar = SECRETS['telegram-token'].envVars[0];
    return {
      needed: !progress.finished && !existsSync(state.path),
      ...progress,
      configPath: state.path,
      ownerCode: claim && {
        code: claim.code,
        expiresAt: claim.expiresAt,
        claimedBy:
          claim.provider && claim.senderId
            ? { provider: claim.provider, senderId: claim.senderId }
            : null,
      },
      owners: Object.fromEntries(
        MESSAGING_PROVIDERS.map((p) => [p, state.config.owner[p]]),
      ) as SetupState['owners'],
      telegram: {
        envVar,
        fromEnv: Boolean(this.env[envVar]?.trim()),
        tokenFile: state.config.telegram.tokenFile ?? null,
        storage: this.keychain.available() ? 'keychain' : 'file',
        inKeychain: this.keychain.current() !== null,
      },
    };
  }

  /** Saves where the owner is and what is done; `finished` also means "skipped". */
  saveProgress(step: SetupStep, done: readonly SetupStep[], finished: boolean): SetupState {
    this.progress.write({ step, done: [...new Set(done)], finished }, this.now());
    return this.state();
  }

  /** A new one-time owner code (the previous unclaimed one stops working). */
  newOwnerCode(): SetupState {
    this.claims.create(this.now());
    return this.state();
  }

  /** The keychain's bot token, for the gateway's IPC channel and the doctor only. */
  keychainToken(): string | null {
    return this.keychain.current();
  }

  /**
   * Checks a pasted bot token with one `getMe` (at `telegram.apiRoot` when set) and, when
   * Telegram knows it, keeps it — in the OS keychain in the desktop app (handed to the gateway
   * over its IPC channel), else in `credentials/telegram-token` (0600) named by
   * `telegram.tokenFile` — and turns Telegram on. A token Telegram refuses is never written.
   */
  async saveTelegramToken(token: string): Promise<TelegramBot> {
    // A secret of this process from now on: no log line or error carries it.
    addProcessSecrets([token]);
    const apiRoot = this.config.current().config.telegram.apiRoot;
    // Loaded when asked, as the doctor does: the supervisor starts without the Bot API client.
    const { Api, GrammyError: GrammyErrorClass } = await import('grammy');
    const api = new Api(token, {
      ...(apiRoot !== undefined && { apiRoot }),
      timeoutSeconds: GET_ME_TIMEOUT_SECONDS,
    });
    let bot: TelegramBot;
    try {
      const me = await api.getMe();
      bot = { id: me.id, username: me.username };
    } catch (error) {
      throw new AppError(
        'BAD_INPUT',
        `Telegram did not accept the token: ${getMeFailure(error, token, GrammyErrorClass)}`,
      );
    }
    const changes = this.keychain.available() ? this.keepInKeychain(token) : this.keepInFile(token);
    const saved = await this.configAdmin.save(changes);
    if (!saved.saved) {
      throw new AppError(
        'CONFLICT',
        `the token works (@${bot.username}) and is kept, but the config file refused the change: ${saved.issues.map((i) => i.message).join('; ')}`,
      );
    }
    return bot;
  }

  /**
   * Desktop: the token goes to the keychain, and a `telegram.tokenFile` (which would win over it)
   * is taken out of the config; the setup's own plaintext file from an earlier run is removed.
   */
  private keepInKeychain(token: string): ConfigChange[] {
    this.keychain.save(token);
    rmSync(join(credentialsDir(this.stateDir), TOKEN_FILE_NAME), { force: true });
    return [
      ...(this.config.current().config.telegram.tokenFile
        ? [{ path: ['telegram', 'tokenFile'], remove: true as const }]
        : []),
      { path: ['telegram', 'enabled'], value: true },
    ];
  }

  /** Web mode: the token goes to a private file the config names. */
  private keepInFile(token: string): ConfigChange[] {
    const dir = credentialsDir(this.stateDir);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, TOKEN_FILE_NAME);
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    const current = this.config.current().config.telegram.tokenFile;
    return [
      ...(current && resolveTokenPath(current, this.stateDir) === file
        ? []
        : [{ path: ['telegram', 'tokenFile'], value: file }]),
      { path: ['telegram', 'enabled'], value: true },
    ];
  }
}
