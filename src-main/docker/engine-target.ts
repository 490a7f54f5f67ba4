import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { Agent as HttpAgent } from 'node:http';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { type EngineConfig, engineHostProblem } from '../../src-shared/config/engine-schema.js';
import { SshEngineAgent } from './ssh-engine-agent.js';

/** The Docker engine sandboxes run on, resolved from the config, a Docker context or the environment. */
export interface EngineTarget {
  /**
   * Where the engine is, as Docker writes it (`unix:///var/run/docker.sock`,
   * `tcp://host:2376`, `ssh://user@host:22`). Never holds a secret: safe for status and logs.
   */
  endpoint: string;
  /** What named it: `agent.sandbox.engine`, a Docker context, `DOCKER_HOST`, or the default. */
  source: 'config' | 'context' | 'environment' | 'default';
  /** The Docker context's name when one named it. */
  context: string | null;
  transport: 'unix' | 'npipe' | 'tcp' | 'ssh';
  /**
   * TLS on a `tcp://` engine: `verified` (the engine's certificate checked against the CA),
   * `unverified` (encrypted, but anyone on the path can pose as the engine), `none` (plain
   * TCP: `insecure: true` or a plain `DOCKER_HOST`). `ssh` and sockets: not applicable.
   */
  tls: 'verified' | 'unverified' | 'none' | 'not-applicable';
  /**
   * Whether the engine is elsewhere (tcp or ssh): it cannot see this machine's paths, so
   * workspaces live in its volumes and are read through its archive API.
   */
  remote: boolean;
  /**
   * What it was resolved from: the setting and the environment variables that mattered (paths
   * and names only, never a key), so the kill switch can reach it again after the setting
   * changed (engine-record.ts).
   */
  origin: EngineOrigin;
  /** How node:http reaches it: a socket path, or host and port with the agent that connects. */
  connection:
    | { kind: 'socket'; socketPath: string }
    | {
        kind: 'agent';
        protocol: 'http' | 'https';
        host: string;
        port: number;
        agent: HttpAgent;
      };
}

/** What an engine was resolved from: `agent.sandbox.engine` and the Docker variables. */
export interface EngineOrigin {
  setting: EngineConfig | null;
  env: Record<string, string>;
}

/** The environment variables that name an engine when no setting does. */
const ENGINE_ENV = [
  'DOCKER_HOST',
  'DOCKER_TLS_VERIFY',
  'DOCKER_TLS',
  'DOCKER_CERT_PATH',
  'DOCKER_CONTEXT',
  'DOCKER_CONFIG',
] as const;

/** A bad engine setting (or context, or environment): names the field and what to do. */
export class EngineConfigError extends Error {
  override readonly name = 'EngineConfigError';
}

/** The default local engine. */
const LOCAL_SOCKET =
  process.platform === 'win32' ? '//./pipe/docker_engine' : '/var/run/docker.sock';

// One agent (so one SSH connection, one TLS session cache) per engine per process.
const agents = new Map<string, HttpAgent>();

/**
 * Resolves where sandboxes run: `agent.sandbox.engine` when set, else `DOCKER_HOST` (with
 * `DOCKER_TLS_VERIFY` / `DOCKER_CERT_PATH`, as Docker's CLI reads them), else `DOCKER_CONTEXT`,
 * else the local socket. Reads the certificate and key files and the context now, so a bad
 * path is an {@link EngineConfigError} naming it rather than a failed tool call later.
 */
export function resolveEngine(
  setting: EngineConfig | undefined,
  env: NodeJS.ProcessEnv = process.env,
): EngineTarget {
  const picked = Object.fromEntries(
    ENGINE_ENV.flatMap((name) => {
      const value = env[name]?.trim();
      return value ? [[name, value]] : [];
    }),
  );
  return {
    ...resolveTarget(setting, env),
    origin: { setting: setting ?? null, env: picked },
  };
}

function resolveTarget(
  setting: EngineConfig | undefined,
  env: NodeJS.ProcessEnv,
): Omit<EngineTarget, 'origin'> {
  if (setting?.context !== undefined) {
    return fromContext(setting.context, 'agent.sandbox.engine.context', env);
  }
  if (setting?.host !== undefined) return fromConfig(setting, env);
  const host = env['DOCKER_HOST']?.trim();
  if (host) return fromEnvironment(host, env);
  const context = env['DOCKER_CONTEXT']?.trim();
  if (context && context !== 'default') return fromContext(context, 'DOCKER_CONTEXT', env);
  return socketTarget(`unix://${LOCAL_SOCKET}`, 'default', null);
}

function fromConfig(setting: EngineConfig, env: NodeJS.ProcessEnv): Omit<EngineTarget, 'origin'> {
  const host = setting.host ?? '';
  const [scheme = ''] = host.split('://');
  switch (scheme) {
    case 'unix':
    case 'npipe':
      return socketTarget(host, 'config', null);
    case 'tcp': {
      if (setting.insecure) return tcpTarget(host, null, 'config', null);
      const tls = setting.tls;
      const read = (field: 'ca' | 'cert' | 'key'): Buffer | undefined => {
        const path = tls?.[field];
        return path === undefined
          ? undefined
          : readPem(expandHome(path, env), `agent.sandbox.engine.tls.${field}`);
      };
      const ca = read('ca');
      const verify = tls?.verify ?? true;
      if (verify && ca === undefined) {
        throw new EngineConfigError(
          'agent.sandbox.engine.tls.ca: required to verify the engine (the CA that signed its ' +
            'certificate); or set tls.verify: false, which the audit reports',
        );
      }
      return tcpTarget(host, { ca, cert: read('cert'), key: read('key'), verify }, 'config', null);
    }
    case 'ssh':
      return sshTarget(host, setting.ssh ?? {}, 'agent.sandbox.engine.ssh', env, 'config', null);
    default:
      throw new EngineConfigError(
        `agent.sandbox.engine.host: ${engineHostProblem(host) ?? `unsupported "${host}"`}`,
      );
  }
}

function fromEnvironment(host: string, env: NodeJS.ProcessEnv): Omit<EngineTarget, 'origin'> {
  const problem = engineHostProblem(host);
  if (problem) throw new EngineConfigError(`DOCKER_HOST: ${problem}`);
  const [scheme] = host.split('://');
  if (scheme === 'unix' || scheme === 'npipe') return socketTarget(host, 'environment', null);
  if (scheme === 'ssh') return sshTarget(host, {}, 'the SSH settings', env, 'environment', null);
  // Docker's CLI: DOCKER_TLS_VERIFY (any non-empty value) means TLS and verify; DOCKER_TLS
  // alone, TLS without verifying; DOCKER_CERT_PATH (default ~/.docker) holds ca/cert/key.pem.
  const verify = Boolean(env['DOCKER_TLS_VERIFY']);
  if (!verify && !env['DOCKER_TLS']) return tcpTarget(host, null, 'environment', null);
  const dir = env['DOCKER_CERT_PATH']?.trim() || join(homeOf(env), '.docker');
  const file = (name: string): Buffer | undefined =>
    existsSync(join(dir, name)) || (verify && name === 'ca.pem')
      ? readPem(join(dir, name), `DOCKER_CERT_PATH (${name})`)
      : undefined;
  return tcpTarget(
    host,
    { ca: file('ca.pem'), cert: file('cert.pem'), key: file('key.pem'), verify },
    'environment',
    null,
  );
}

/** The Docker CLI's context store: `meta/<sha256(name)>/meta.json` and `tls/<sha256(name)>/docker/`. */
function fromContext(
  name: string,
  field: string,
  env: NodeJS.ProcessEnv,
): Omit<EngineTarget, 'origin'> {
  const configDir = env['DOCKER_CONFIG']?.trim() || join(homeOf(env), '.docker');
  const digest = createHash('sha256').update(name).digest('hex');
  const metaFile = join(configDir, 'contexts', 'meta', digest, 'meta.json');
  let meta: { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } };
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8')) as typeof meta;
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such context (see `docker context ls`)'
        : `unreadable: ${(error as Error).message}`;
    throw new EngineConfigError(`${field}: Docker context "${name}" (${metaFile}): ${why}`);
  }
  const endpoint = meta.Endpoints?.docker;
  const host = typeof endpoint?.Host === 'string' ? endpoint.Host : '';
  const problem = engineHostProblem(host);
  if (problem) {
    throw new EngineConfigError(`${field}: Docker context "${name}" (${metaFile}): ${problem}`);
  }
  const [scheme] = host.split('://');
  if (scheme === 'unix' || scheme === 'npipe') return socketTarget(host, 'context', name);
  if (scheme === 'ssh') return sshTarget(host, {}, `${field} (${name})`, env, 'context', name);
  const tlsDir = join(configDir, 'contexts', 'tls', digest, 'docker');
  const file = (pem: string): Buffer | undefined =>
    existsSync(join(tlsDir, pem))
      ? readPem(join(tlsDir, pem), `${field} (${name}: ${pem})`)
      : undefined;
  const ca = file('ca.pem');
  const cert = file('cert.pem');
  const key = file('key.pem');
  if (ca === undefined && cert === undefined && endpoint?.SkipTLSVerify !== true) {
    // `docker context create --docker host=tcp://…` without TLS material: plain TCP, as the CLI.
    return tcpTarget(host, null, 'context', name);
  }
  return tcpTarget(
    host,
    { ca, cert, key, verify: endpoint?.SkipTLSVerify !== true },
    'context',
    name,
  );
}

function socketTarget(
  host: string,
  source: EngineTarget['source'],
  context: string | null,
): Omit<EngineTarget, 'origin'> {
  const [scheme, path = ''] = host.split('://') as [string, string | undefined];
  return {
    endpoint: host,
    source,
    context,
    transport: scheme === 'npipe' ? 'npipe' : 'unix',
    tls: 'not-applicable',
    remote: false,
    connection: { kind: 'socket', socketPath: path || LOCAL_SOCKET },
  };
}

function tcpTarget(
  host: string,
  tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; verify: boolean } | null,
  source: EngineTarget['source'],
  context: string | null,
): Omit<EngineTarget, 'origin'> {
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || (tls ? 2376 : 2375));
  const endpoint = `tcp://${url.host}`;
  let agent: HttpAgent | undefined;
  if (tls) {
    const key = `${endpoint}|${digestOf(tls.ca)}|${digestOf(tls.cert)}|${digestOf(tls.key)}|${tls.verify}`;
    agent = agents.get(key);
    if (!agent) {
      agent = new HttpsAgent({
        keepAlive: true,
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        rejectUnauthorized: tls.verify,
        // Docker's CLI checks the certificate's names against the host only when verifying.
        ...(tls.verify ? {} : { checkServerIdentity: () => undefined }),
      });
      agents.set(key, agent);
    }
  }
  return {
    endpoint,
    source,
    context,
    transport: 'tcp',
    tls: tls === null ? 'none' : tls.verify ? 'verified' : 'unverified',
    remote: true,
    connection: {
      kind: 'agent',
      protocol: tls ? 'https' : 'http',
      host: hostname,
      port,
      agent: agent ?? plainAgent(endpoint),
    },
  };
}

function sshTarget(
  host: string,
  ssh: { identityFile?: string; knownHosts?: string },
  field: string,
  env: NodeJS.ProcessEnv,
  source: EngineTarget['source'],
  context: string | null,
): Omit<EngineTarget, 'origin'> {
  const url = new URL(host);
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || 22);
  const username = decodeURIComponent(url.username);
  const endpoint = `ssh://${username}@${url.hostname}:${port}`;
  const knownHostsFile = expandHome(
    ssh.knownHosts ?? join(homeOf(env), '.ssh', 'known_hosts'),
    env,
  );
  const identity = sshIdentity(ssh.identityFile, field, env);
  const key = `${endpoint}|${knownHostsFile}|${identity.agentSocket ?? ''}|${digestOf(identity.privateKey)}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = new SshEngineAgent({
      host: hostname,
      port,
      username,
      knownHostsFile,
      endpoint,
      ...identity,
    });
    agents.set(key, agent);
  }
  return {
    endpoint,
    source,
    context,
    transport: 'ssh',
    tls: 'not-applicable',
    remote: true,
    // The host name only reaches the Host header: the agent opens the SSH channel.
    connection: { kind: 'agent', protocol: 'http', host: 'docker', port: 80, agent },
  };
}

/** The key an SSH login uses: the file named, else the SSH agent, else ssh's default key files. */
function sshIdentity(
  identityFile: string | undefined,
  field: string,
  env: NodeJS.ProcessEnv,
): { agentSocket?: string; privateKey?: Buffer } {
  if (identityFile !== undefined) {
    return { privateKey: readPem(expandHome(identityFile, env), `${field}.identityFile`) };
  }
  const agentSocket = env['SSH_AUTH_SOCK']?.trim();
  if (agentSocket) return { agentSocket };
  for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
    const path = join(homeOf(env), '.ssh', name);
    if (existsSync(path)) return { privateKey: readPem(path, field) };
  }
  throw new EngineConfigError(
    `${field}: no SSH key: set agent.sandbox.engine.ssh.identityFile, or start an SSH agent ` +
      '(SSH_AUTH_SOCK) holding the key, or keep one in ~/.ssh/id_ed25519',
  );
}

function plainAgent(endpoint: string): HttpAgent {
  let agent = agents.get(endpoint);
  if (!agent) {
    // node:http's Agent, kept alive: the engine answers many small calls per tool call.
    agent = new HttpAgent({ keepAlive: true });
    agents.set(endpoint, agent);
  }
  return agent;
}

function readPem(path: string, field: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new EngineConfigError(`${field}: cannot read ${path}: ${(error as Error).message}`);
  }
}

function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  if (path === '~' || path.startsWith('~/')) return join(homeOf(env), path.slice(1));
  return isAbsolute(path) ? path : resolve(path);
}

function homeOf(env: NodeJS.ProcessEnv): string {
  return env['HOME']?.trim() || homedir();
}

function digestOf(data: Buffer | undefined): string {
  return data === undefined ? '' : createHash('sha256').update(data).digest('hex').slice(0, 16);
}

/**
 * Ends every kept-alive engine connection of this process (the SSH connections above all), for
 * a program that is done with its engines and must exit: an SSH connection whose channel a
 * stream still holds would keep it alive.
 */
export function closeEngineConnections(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}
