import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src-shared/config/schema.js';
import { describeConfigIssues } from '../../src-shared/config/describe-issues.js';
import { resolveEngine } from '../../src-main/docker/engine-target.js';
import { knownHostKeys, isTrustedHostKey } from '../../src-main/docker/known-hosts.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cb-engine-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function engineIssues(engine: unknown): string[] {
  const parsed = ConfigSchema.safeParse({ agent: { sandbox: { engine } } });
  return parsed.success ? [] : describeConfigIssues(parsed.error);
}

describe('agent.sandbox.engine', () => {
  it('accepts Docker’s own addresses, and a string as shorthand for host', () => {
    expect(engineIssues('unix:///run/other.sock')).toEqual([]);
    expect(engineIssues('npipe:////./pipe/docker_engine')).toEqual([]);
    expect(engineIssues('ssh://ci@build.example:2222')).toEqual([]);
    expect(engineIssues({ host: 'tcp://build.example:2376', tls: { ca: '/x/ca.pem' } })).toEqual(
      [],
    );
    expect(engineIssues({ context: 'build' })).toEqual([]);
  });

  it('refuses plain TCP unless insecure: true is written, naming the field', () => {
    const [issue] = engineIssues('tcp://build.example:2375');
    expect(issue).toMatch(/^agent\.sandbox\.engine: a tcp:\/\/ engine needs tls/);
    expect(engineIssues({ host: 'tcp://build.example:2375', insecure: true })).toEqual([]);
  });

  it('names what is wrong with a bad address or a contradiction', () => {
    expect(engineIssues('http://x:1')[0]).toMatch(
      /^agent\.sandbox\.engine\.host: unknown scheme "http:\/\/"/,
    );
    expect(engineIssues({ host: 'tcp://nohost', insecure: true })[0]).toMatch(
      /agent\.sandbox\.engine\.host: "tcp:\/\/nohost" must be tcp:\/\/host:port/,
    );
    expect(engineIssues('ssh://build.example')[0]).toMatch(/must be ssh:\/\/user@host/);
    expect(engineIssues({ host: 'unix:///x.sock', tls: {} })[0]).toMatch(
      /tls is for tcp:\/\/ engines, not unix/,
    );
    expect(engineIssues({ host: 'unix:///x.sock', context: 'a' })[0]).toMatch(/exactly one of/);
    expect(engineIssues({ host: 'tcp://h:1', tls: { ca: '/c' }, bogus: 1 })[0]).toMatch(
      /unknown key agent\.sandbox\.engine\.bogus/,
    );
  });
});

describe('resolving the engine', () => {
  it('keeps DOCKER_HOST with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH working when none is configured', () => {
    const certs = tempDir();
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certs, f), 'pem');
    const target = resolveEngine(undefined, {
      DOCKER_HOST: 'tcp://127.0.0.1:2376',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: certs,
    });
    expect(target).toMatchObject({
      endpoint: 'tcp://127.0.0.1:2376',
      source: 'environment',
      tls: 'verified',
      remote: true,
    });
    expect(resolveEngine(undefined, { DOCKER_HOST: 'tcp://127.0.0.1:2375' }).tls).toBe('none');
    expect(() =>
      resolveEngine(undefined, {
        DOCKER_HOST: 'tcp://127.0.0.1:2376',
        DOCKER_TLS_VERIFY: '1',
        DOCKER_CERT_PATH: join(certs, 'nope'),
      }),
    ).toThrow(/DOCKER_CERT_PATH \(ca\.pem\): cannot read .*nope\/ca\.pem/);
  });

  it('names the missing certificate file of a configured engine', () => {
    expect(() =>
      resolveEngine({
        host: 'tcp://h:2376',
        tls: { ca: '/nonexistent/ca.pem', verify: true },
        insecure: false,
      }),
    ).toThrow(/agent\.sandbox\.engine\.tls\.ca: cannot read \/nonexistent\/ca\.pem/);
  });

  it('reads a Docker CLI context, honouring DOCKER_CONFIG', () => {
    const config = tempDir();
    const digest = createHash('sha256').update('build').digest('hex');
    mkdirSync(join(config, 'contexts', 'meta', digest), { recursive: true });
    mkdirSync(join(config, 'contexts', 'tls', digest, 'docker'), { recursive: true });
    writeFileSync(
      join(config, 'contexts', 'meta', digest, 'meta.json'),
      JSON.stringify({
        Name: 'build',
        Endpoints: { docker: { Host: 'tcp://10.1.2.3:2376', SkipTLSVerify: false } },
      }),
    );
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) {
      writeFileSync(join(config, 'contexts', 'tls', digest, 'docker', f), 'pem');
    }
    const target = resolveEngine({ context: 'build', insecure: false }, { DOCKER_CONFIG: config });
    expect(target).toMatchObject({
      endpoint: 'tcp://10.1.2.3:2376',
      source: 'context',
      context: 'build',
      tls: 'verified',
    });
    expect(() =>
      resolveEngine({ context: 'nope', insecure: false }, { DOCKER_CONFIG: config }),
    ).toThrow(/agent\.sandbox\.engine\.context: Docker context "nope" .*no such context/);
  });

  it('asks for an SSH key when there is neither a key file nor an agent', () => {
    expect(() =>
      resolveEngine({ host: 'ssh://ci@h', insecure: false }, { HOME: tempDir() }),
    ).toThrow(/no SSH key: set agent\.sandbox\.engine\.ssh\.identityFile/);
  });
});

describe('known_hosts', () => {
  it('finds plain, [host]:port and hashed entries and honours @revoked', () => {
    const dir = tempDir();
    const key = Buffer.from('a-host-key');
    const other = Buffer.from('another-key');
    const salt = Buffer.from('0123456789abcdef0123');
    const hash = createHmac('sha1', salt).update('[h2]:2222').digest('base64');
    writeFileSync(
      join(dir, 'known_hosts'),
      [
        `h1,alias ssh-ed25519 ${key.toString('base64')}`,
        `|1|${salt.toString('base64')}|${hash} ssh-ed25519 ${other.toString('base64')}`,
        `@revoked h3 ssh-ed25519 ${key.toString('base64')}`,
        `h3 ssh-ed25519 ${key.toString('base64')}`,
      ].join('\n'),
    );
    const file = join(dir, 'known_hosts');
    expect(isTrustedHostKey(knownHostKeys(file, 'h1', 22), key)).toBe(true);
    expect(isTrustedHostKey(knownHostKeys(file, 'h1', 22), other)).toBe(false);
    expect(isTrustedHostKey(knownHostKeys(file, 'h2', 2222), other)).toBe(true);
    expect(knownHostKeys(file, 'h2', 22)).toEqual([]);
    expect(isTrustedHostKey(knownHostKeys(file, 'h3', 22), key)).toBe(false);
    expect(knownHostKeys(join(dir, 'missing'), 'h1', 22)).toEqual([]);
  });
});
