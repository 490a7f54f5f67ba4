/** The environment variable holding a fixed web UI token (or `CLAWDBOT_WEB_TOKEN_FILE`). */
export const WEB_TOKEN_ENV = 'CLAWDBOT_WEB_TOKEN';
/** The environment variable listing further origins allowed to open the web UI's socket. */
export const WEB_ORIGINS_ENV = 'CLAWDBOT_WEB_ORIGINS';
/** The shortest token accepted from the environment: a guessable one is no lock at all. */
export const MIN_WEB_TOKEN_LENGTH = 24;

/** The web mode settings the environment gives (a container's compose file sets them). */
export interface WebEnvSettings {
  /** A fixed token, instead of a fresh random one at every start. */
  token?: string;
  /** Origins the page is reached by besides this server's own address. */
  origins: string[];
}

/**
 * Reads `CLAWDBOT_WEB_TOKEN` and `CLAWDBOT_WEB_ORIGINS` (comma-separated `http(s)://host[:port]`).
 * Throws an Error naming the variable and what is wrong with it.
 */
export function webSettingsFromEnv(env: NodeJS.ProcessEnv): WebEnvSettings {
  const token = env[WEB_TOKEN_ENV]?.trim();
  if (token !== undefined && token !== '' && token.length < MIN_WEB_TOKEN_LENGTH) {
    throw new Error(
      `${WEB_TOKEN_ENV} is ${token.length} characters long; use at least ${MIN_WEB_TOKEN_LENGTH} random ones (openssl rand -base64 32)`,
    );
  }
  const origins: string[] = [];
  for (const raw of (env[WEB_ORIGINS_ENV] ?? '').split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new Error(`${WEB_ORIGINS_ENV}: ${entry} is not a URL (expected http://host:port)`);
    }
    if (
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.origin !== entry.replace(/\/$/, '')
    ) {
      throw new Error(
        `${WEB_ORIGINS_ENV}: ${entry} is not an origin (expected http://host:port, with no path)`,
      );
    }
    origins.push(url.origin);
  }
  return { ...(token ? { token } : {}), origins };
}
