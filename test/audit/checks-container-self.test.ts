import { describe, expect, it } from 'vitest';
import type { AuditInput, ContainerFactSelf } from '../../src-main/audit/audit-input.js';
import { runChecks } from '../../src-main/audit/run-checks.js';
import { parseConfigText } from '../../src-main/config/load-config.js';

/**
 * The audit of the gateway's own container (Option A), against a table: the container as
 * compose.yaml runs it gives only the informational finding; each row loosens one thing and
 * must give exactly its finding.
 */

const hardened: ContainerFactSelf = {
  marker: "the engine's mount of /etc/hostname (container 1dc158fe6bda)",
  readOnlyRoot: true,
  uid: 10001,
  privileges: { capEff: 0n, capBnd: 0n, noNewPrivs: true },
  socketMounts: [],
  homeMounts: [],
  webPublish: '127.0.0.1',
};

function inputWith(container: Partial<ContainerFactSelf> | null, webHost = '0.0.0.0'): AuditInput {
  const text = JSON.stringify({ agent: { sandbox: { mode: 'all' } } });
  const parsed = parseConfigText(text, '/data/clawdbot.json');
  if (!parsed.ok) throw new Error('bad baseline');
  return {
    configPath: '/data/clawdbot.json',
    configText: text,
    config: { ok: true, config: parsed.config, exists: true },
    files: [{ kind: 'state-dir', path: '/data', directory: true, mode: 0o700 }],
    docker: null,
    webHost,
    safeStorageBackend: null,
    homeDir: '/data',
    logs: { pattern: '/data/logs/clawdbot-YYYY-MM-DD.log', fallback: null, error: null },
    container: container === null ? null : { ...hardened, ...container },
  };
}

const ids = (input: AuditInput): string[] => runChecks(input).map((f) => f.id);

describe('the audit inside the gateway container', () => {
  it('finds nothing but where it runs when hardened as compose.yaml sets it up', () => {
    const findings = runChecks(inputWith({}));
    expect(findings.map((f) => f.id)).toEqual(['container.inside']);
    expect(findings[0]?.meaning).toMatch(/Not visible from here: the engine's real port mappings/);
  });

  it("does not take the container's own 0.0.0.0 for the host's", () => {
    expect(ids(inputWith({}))).not.toContain('web.bind-public');
    // Outside a container the same bind is reported as before.
    expect(ids(inputWith(null))).toContain('web.bind-public');
  });

  const table: [string, Partial<ContainerFactSelf>, 'high' | 'medium' | 'low'][] = [
    ['container.root-user', { uid: 0 }, 'high'],
    [
      'container.capabilities',
      { privileges: { capEff: 1n << 21n, capBnd: 1n << 21n, noNewPrivs: true } },
      'high',
    ],
    [
      'container.new-privileges',
      { privileges: { capEff: 0n, capBnd: 0n, noNewPrivs: false } },
      'medium',
    ],
    ['container.root-writable', { readOnlyRoot: false }, 'medium'],
    ['container.engine-socket', { socketMounts: ['/var/run/docker.sock'] }, 'high'],
    [
      'container.home-mounted',
      {
        homeMounts: [
          {
            mountPoint: '/work',
            root: '/home/alice',
            options: ['rw'],
            fsType: 'ext4',
            source: '/dev/vda',
          },
        ],
      },
      'high',
    ],
    ['container.web-published', { webPublish: '0.0.0.0' }, 'high'],
    ['container.web-publish-unknown', { webPublish: null }, 'low'],
  ];

  it.each(table)('reports %s', (id, loosened, severity) => {
    const findings = runChecks(inputWith(loosened));
    expect(findings.map((f) => f.id).sort()).toEqual(['container.inside', id].sort());
    expect(findings.find((f) => f.id === id)?.severity).toBe(severity);
  });

  it('rates privilege gain high when the bounding set still holds capabilities', () => {
    const findings = runChecks(
      inputWith({ privileges: { capEff: 0n, capBnd: 1n, noNewPrivs: false } }),
    );
    const gain = findings.find((f) => f.id === 'container.new-privileges');
    expect(gain?.severity).toBe('high');
    expect(gain?.meaning).toMatch(/chown/);
  });
});
