import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  OFFLINE_IMAGE_CHANGES,
  SANDBOX_IMAGE_GID,
  SANDBOX_IMAGE_UID,
  parsePackageList,
  readSandboxPackages,
  sandboxAssetsDir,
} from '../../src-main/sandbox/image-recipe.js';
import {
  DEFAULT_DEBIAN_MIRROR,
  detectDebianMirror,
  parseDeb822Sources,
  parseOneLineSources,
  pickDebianMirror,
} from '../../src-main/sandbox/debian-mirror.js';

describe('the Debian mirror for the offline build', () => {
  it('reads one-line and deb822 sources', () => {
    expect(
      parseOneLineSources(
        '# comment\ndeb [arch=amd64] http://ftp.de.debian.org/debian/ bookworm main\ndeb-src http://x/ bookworm main\n',
      ),
    ).toEqual([{ uri: 'http://ftp.de.debian.org/debian/', suites: ['bookworm'] }]);
    expect(
      parseDeb822Sources(
        'Types: deb\n# http://snapshot.debian.org/archive/debian/20250520T000000Z\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\n\nTypes: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n',
      ),
    ).toEqual([
      { uri: 'http://deb.debian.org/debian', suites: ['bookworm', 'bookworm-updates'] },
      { uri: 'http://deb.debian.org/debian-security', suites: ['bookworm-security'] },
    ]);
  });

  it("picks the host's Debian archive, not security or Ubuntu, else deb.debian.org", () => {
    expect(
      pickDebianMirror([
        { uri: 'http://security.debian.org/debian-security', suites: ['bookworm-security'] },
        { uri: 'https://mirror.example/debian/', suites: ['trixie'] },
      ]),
    ).toBe('https://mirror.example/debian');
    expect(pickDebianMirror([{ uri: 'http://archive.ubuntu.com/ubuntu', suites: ['noble'] }])).toBe(
      DEFAULT_DEBIAN_MIRROR,
    );
    expect(pickDebianMirror([{ uri: 'file:///srv/debian', suites: ['bookworm'] }])).toBe(
      DEFAULT_DEBIAN_MIRROR,
    );
  });

  it('looks in sources.list and sources.list.d', () => {
    const apt = mkdtempSync(join(tmpdir(), 'clawdbot-apt-'));
    try {
      expect(detectDebianMirror(apt)).toBe(DEFAULT_DEBIAN_MIRROR);
      mkdirSync(join(apt, 'sources.list.d'));
      writeFileSync(
        join(apt, 'sources.list.d', 'debian.sources'),
        'Types: deb\nURIs: http://mirror.local/debian\nSuites: bookworm\n',
      );
      expect(detectDebianMirror(apt)).toBe('http://mirror.local/debian');
    } finally {
      rmSync(apt, { recursive: true, force: true });
    }
  });
});

describe('packages.txt', () => {
  it('is one list for both builds, with the packages issue 5 asks for', () => {
    expect(readSandboxPackages()).toEqual(
      expect.arrayContaining([
        'bash',
        'coreutils',
        'python3',
        'git',
        'jq',
        'ripgrep',
        'ca-certificates',
      ]),
    );
  });
  it('allows comments and refuses anything but package names', () => {
    expect(parsePackageList('# c\nbash  # the shell\n\n  jq\n')).toEqual(['bash', 'jq']);
    expect(() => parsePackageList('bash --foo')).toThrow(/not a Debian package name/);
    expect(() => parsePackageList('--print-debs')).toThrow(/not a Debian package name/);
  });
});

describe('the two image recipes', () => {
  it('agree: the Dockerfile installs packages.txt and sets what the offline import sets', () => {
    const dockerfile = readFileSync(join(sandboxAssetsDir(), 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^COPY packages\.txt /m);
    expect(dockerfile).toContain('xargs apt-get install -y --no-install-recommends');
    for (const change of OFFLINE_IMAGE_CHANGES.filter((c) => !c.startsWith('ENV PATH='))) {
      expect(dockerfile.split('\n')).toContain(change);
    }
    expect(dockerfile).toContain(`--uid ${SANDBOX_IMAGE_UID} --gid ${SANDBOX_IMAGE_GID}`);
  });
});
