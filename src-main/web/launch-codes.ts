import { randomBytes } from 'node:crypto';

/** The path a one-time sign-in link starts with: `/launch/<code>`. */
export const LAUNCH_PATH_PREFIX = '/launch/';

/** How long a sign-in link stays usable: enough for a browser to start. */
export const LAUNCH_CODE_TTL_MS = 2 * 60_000;

/**
 * One-time sign-in links, for opening the web UI in a browser. A browser is started with its
 * address on the command line, where every local user can read it (`/proc/<pid>/cmdline`) for
 * as long as the browser runs; the token must never be there. A link is usable once, for a
 * short while, and only leads to the page with the token in its fragment, which never leaves
 * the browser again.
 */
export class LaunchCodes {
  private readonly codes = new Map<string, number>();

  constructor(
    private readonly ttlMs = LAUNCH_CODE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new code, valid once until the time-to-live has passed. */
  mint(): string {
    this.prune();
    const code = randomBytes(18).toString('base64url');
    this.codes.set(code, this.now() + this.ttlMs);
    return code;
  }

  /** Whether `code` is valid now; a valid code is used up by this call. */
  redeem(code: string): boolean {
    this.prune();
    const expires = this.codes.get(code);
    this.codes.delete(code);
    return expires !== undefined && expires > this.now();
  }

  private prune(): void {
    const now = this.now();
    for (const [code, expires] of this.codes) if (expires <= now) this.codes.delete(code);
  }
}
