import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { chmod, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuthenticationState } from '@whiskeysockets/baileys';
import { credentialsDir, whatsappAuthDir } from '../../../state-layout.js';

/**
 * Whether a device is linked: the saved credentials name the account they belong to. A
 * `creds.json` without `me` is a half-finished link (QR never scanned) and does not count.
 * Reads one small file synchronously, so the gateway can decide at start whether to connect.
 */
export function isWhatsAppLinked(stateDir: string): boolean {
  try {
    const creds = JSON.parse(
      readFileSync(join(whatsappAuthDir(stateDir), 'creds.json'), 'utf8'),
    ) as {
      me?: { id?: unknown } | null;
    };
    return typeof creds.me?.id === 'string' && creds.me.id.length > 0;
  } catch {
    // No creds.json (never linked, or logged out) or one Baileys never finished: not linked.
    return false;
  }
}

/**
 * Creates `credentials/` and `credentials/whatsapp/` private (0700) — chmod as well as mkdir,
 * because mkdir's mode is filtered by the umask and ignored for a directory that already exists.
 */
export function prepareAuthDir(stateDir: string): string {
  const dir = whatsappAuthDir(stateDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') {
    chmodSync(credentialsDir(stateDir), 0o700);
    chmodSync(dir, 0o700);
  }
  return dir;
}

/**
 * Makes files in the auth directory owner-only (0600). Baileys writes them with the process
 * umask (usually 0644); the 0700 directory already keeps others out, and this keeps the files
 * private even if they are copied out or the directory's mode is loosened.
 */
export async function restrictAuthFiles(dir: string, names?: readonly string[]): Promise<void> {
  if (process.platform === 'win32') return;
  // No directory yet: no file to restrict.
  const files = names ?? (await readdir(dir).catch(() => [] as string[]));
  await Promise.all(
    // A file may be gone already (Baileys deletes used pre-keys); that is fine.
    files.map((name) => chmod(join(dir, name), 0o600).catch(() => undefined)),
  );
}

/** Forgets the linked device: removes the whole auth directory. */
export async function clearAuthState(stateDir: string): Promise<void> {
  await rm(whatsappAuthDir(stateDir), { recursive: true, force: true });
}

/** Baileys' `useMultiFileAuthState`, injected so this module does not load Baileys itself. */
export type MultiFileAuthState = (
  folder: string,
) => Promise<{ state: AuthenticationState; saveCreds: () => Promise<void> }>;

/** Baileys' `BufferJSON.replacer`, which stores key material as base64; injected likewise. */
export type CredsReplacer = (key: string, value: unknown) => unknown;

/** An auth state whose every write is tracked (to finish before unlinking) and made 0600. */
export interface TrackedAuthState {
  state: AuthenticationState;
  /** Saves the credentials after a `creds.update`. */
  saveCreds(): Promise<void>;
  /** Resolves when every write started so far has finished. */
  settled(): Promise<void>;
}

// Baileys' multi-file store names a key file `${type}-${id}.json` with `/` → `__` and
// `:` → `-`; knowing the name lets us chmod just the files a write touched.
function keyFileName(type: string, id: string): string {
  return `${type}-${id}.json`.replace(/\//g, '__').replace(/:/g, '-');
}

/**
 * Opens the multi-file auth state in the (private) auth directory, wrapping its writes so each
 * written file is made 0600 and pending writes can be awaited before the directory is removed.
 */
export async function openAuthState(
  stateDir: string,
  useMultiFileAuthState: MultiFileAuthState,
  replacer: CredsReplacer,
): Promise<TrackedAuthState> {
  const dir = prepareAuthDir(stateDir);
  const { state } = await useMultiFileAuthState(dir);
  // Files from an earlier run (or an older build) may still carry the umask's mode.
  await restrictAuthFiles(dir);
  const pending = new Set<Promise<unknown>>();
  let lastSave: Promise<unknown> = Promise.resolve();
  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    // Whoever started the write awaits `work` and sees its failure; this copy only tracks it.
    void work.finally(() => pending.delete(work)).catch(() => undefined);
    return work;
  };
  const keys = state.keys;
  return {
    state: {
      creds: state.creds,
      keys: {
        get: (type, ids) => keys.get(type, ids),
        set: (data) =>
          track(
            (async () => {
              await keys.set(data);
              const names = Object.entries(data).flatMap(([type, byId]) =>
                Object.keys(byId ?? {}).map((id) => keyFileName(type, id)),
              );
              await restrictAuthFiles(dir, names);
            })(),
          ),
      },
    },
    // Ours, not Baileys' saveCreds: that one truncates creds.json and then writes it, so a crash
    // (or a gateway start reading it) between the two sees an empty file — an unlinked device the
    // owner has to scan a QR code again for. A whole new file renamed over the old one is never
    // torn; one save at a time, each writing the credentials as they are when its turn comes.
    saveCreds: () => {
      const save = lastSave.then(() =>
        replaceFile(join(dir, 'creds.json'), JSON.stringify(state.creds, replacer)),
      );
      lastSave = save.catch(() => undefined);
      return track(save);
    },
    async settled() {
      await Promise.allSettled([...pending]);
    },
  };
}

/** Writes `text` to a new owner-only file beside `path` and renames it over `path` (atomic). */
async function replaceFile(path: string, text: string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, { mode: 0o600 });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
