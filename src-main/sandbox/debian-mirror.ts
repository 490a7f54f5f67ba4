import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's own redirector, used when the host names no Debian mirror. */
export const DEFAULT_DEBIAN_MIRROR = 'http://deb.debian.org/debian';

// Suites that mark an entry as a Debian main archive (not security, updates, or Ubuntu's).
const DEBIAN_SUITES = new Set([
  'buster',
  'bullseye',
  'bookworm',
  'trixie',
  'forky',
  'duke',
  'sid',
  'oldoldstable',
  'oldstable',
  'stable',
  'testing',
  'unstable',
]);

/** One `deb` source: its URI and suites. */
export interface AptSource {
  uri: string;
  suites: string[];
}

/** The `deb` entries of a one-line-style sources.list (`deb [opts] URI suite comp…`). */
export function parseOneLineSources(text: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const match = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
    if (match?.[1] && match[2]) sources.push({ uri: match[1], suites: [match[2]] });
  }
  return sources;
}

/** The `deb` entries of a deb822-style `.sources` file (`Types:`, `URIs:`, `Suites:` stanzas). */
export function parseDeb822Sources(text: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const raw of stanza.split('\n')) {
      if (raw.trimStart().startsWith('#')) continue;
      const match = /^([A-Za-z-]+):\s*(.*)$/.exec(raw);
      if (match?.[1]) fields.set(match[1].toLowerCase(), (match[2] ?? '').trim());
    }
    if (fields.get('enabled')?.toLowerCase() === 'no') continue;
    if (!(fields.get('types') ?? '').split(/\s+/).includes('deb')) continue;
    const suites = (fields.get('suites') ?? '').split(/\s+/).filter(Boolean);
    for (const uri of (fields.get('uris') ?? '').split(/\s+/).filter(Boolean)) {
      sources.push({ uri, suites });
    }
  }
  return sources;
}

/** The first source that is a Debian main archive over HTTP(S), or the default mirror. */
export function pickDebianMirror(sources: readonly AptSource[]): string {
  for (const source of sources) {
    if (!/^https?:\/\//.test(source.uri)) continue;
    if (source.suites.some((suite) => DEBIAN_SUITES.has(suite))) {
      return source.uri.replace(/\/+$/, '');
    }
  }
  return DEFAULT_DEBIAN_MIRROR;
}

/**
 * The Debian mirror this machine's apt uses (`/etc/apt/sources.list`, then the files in
 * `sources.list.d`), so the offline build goes wherever apt already can; else deb.debian.org.
 */
export function detectDebianMirror(aptDir = '/etc/apt'): string {
  const sources: AptSource[] = [];
  const read = (path: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      // A sources file that is not there names no mirror; deb.debian.org is the fallback.
      return '';
    }
  };
  sources.push(...parseOneLineSources(read(join(aptDir, 'sources.list'))));
  let entries: string[] = [];
  try {
    entries = readdirSync(join(aptDir, 'sources.list.d')).sort();
  } catch {
    // No sources.list.d.
  }
  for (const entry of entries) {
    const path = join(aptDir, 'sources.list.d', entry);
    if (entry.endsWith('.list')) sources.push(...parseOneLineSources(read(path)));
    else if (entry.endsWith('.sources')) sources.push(...parseDeb822Sources(read(path)));
  }
  return pickDebianMirror(sources);
}
