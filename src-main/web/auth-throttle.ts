import { isIPv6 } from 'node:net';
import type { SignInThrottle } from '../supervisor/contract-socket.js';

/** How many failed sign-ins a peer may make within the window before it is locked out. */
export const DEFAULT_MAX_FAILURES = 10;
/** The window failed sign-ins are counted in. */
export const DEFAULT_FAILURE_WINDOW_MS = 60_000;
/** How long a peer that used up its failures is refused, whatever it sends. */
export const DEFAULT_LOCKOUT_MS = 5 * 60_000;

/** A lockout that just began, for the one log line it gets. */
export interface Lockout {
  /** The address the last failure came from. */
  peer: string;
  /** What the limit is kept for: the address, or an IPv6 address's /64 network. */
  key: string;
  failures: number;
  /** Epoch ms when the peer may try again. */
  until: number;
}

/** How an {@link AuthThrottle} counts. */
export interface AuthThrottleOptions {
  maxFailures?: number;
  windowMs?: number;
  lockoutMs?: number;
  now?: () => number;
  /** Called once when a lockout begins (not for the attempts refused during it). */
  onLockout?: (lockout: Lockout) => void;
}

interface PeerRecord {
  /** Times of the failures still inside the window, oldest first. */
  failures: number[];
  lockedUntil: number | null;
}

// Past this many remembered peers, records with nothing left to remember are swept.
const SWEEP_THRESHOLD = 1000;

/**
 * The key a peer's failures are counted under. An IPv4-mapped IPv6 address is its IPv4
 * address; any other IPv6 address counts for its /64, because one machine is routinely given
 * a whole /64 and could otherwise rotate through it to get fresh attempts.
 */
export function throttleKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = address.includes('::') && tail !== '' ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Failed sign-in rate limiting per peer: after `maxFailures` failures within `windowMs`, the
 * peer is locked out for `lockoutMs`, and while locked out even the right token is refused (so
 * guessing cannot continue and be confirmed later). A success forgets the peer's failures.
 */
export class AuthThrottle implements SignInThrottle {
  private readonly peers = new Map<string, PeerRecord>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly lockoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: AuthThrottleOptions = {}) {
    this.maxFailures = options.maxFailures ?? DEFAULT_MAX_FAILURES;
    this.windowMs = options.windowMs ?? DEFAULT_FAILURE_WINDOW_MS;
    this.lockoutMs = options.lockoutMs ?? DEFAULT_LOCKOUT_MS;
    this.now = options.now ?? Date.now;
  }

  /** When `peer` may sign in again (epoch ms), or null if it may now. */
  lockedUntil(peer: string): number | null {
    const record = this.peers.get(throttleKey(peer));
    if (record?.lockedUntil == null) return null;
    if (record.lockedUntil > this.now()) return record.lockedUntil;
    record.lockedUntil = null;
    return null;
  }

  /** Records a failed sign-in; the one that reaches the limit starts a lockout. */
  recordFailure(peer: string): void {
    if (this.lockedUntil(peer) !== null) return;
    const key = throttleKey(peer);
    const now = this.now();
    const record = this.peers.get(key) ?? { failures: [], lockedUntil: null };
    record.failures = record.failures.filter((at) => at > now - this.windowMs);
    record.failures.push(now);
    this.peers.set(key, record);
    if (record.failures.length >= this.maxFailures) {
      const failures = record.failures.length;
      record.failures = [];
      record.lockedUntil = now + this.lockoutMs;
      this.options.onLockout?.({ peer, key, failures, until: record.lockedUntil });
    }
    if (this.peers.size > SWEEP_THRESHOLD) this.sweep(now);
  }

  /** A peer that signed in is not guessing: its earlier failures no longer count. */
  recordSuccess(peer: string): void {
    const key = throttleKey(peer);
    if (this.peers.get(key)?.lockedUntil == null) this.peers.delete(key);
  }

  /** Forgets peers with no failure in the window and no lockout in force. */
  private sweep(now: number): void {
    for (const [key, record] of this.peers) {
      const locked = record.lockedUntil !== null && record.lockedUntil > now;
      if (!locked && record.failures.every((at) => at <= now - this.windowMs))
        this.peers.delete(key);
    }
  }
}
