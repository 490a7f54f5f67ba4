import { Agent } from 'node:http';
import { connect as connectTcp, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
import { isTrustedHostKey, knownHostKeys } from './known-hosts.js';

/** An engine refused before any API call: its SSH host key, or its TLS certificate, is not trusted. */
export class EngineTrustError extends Error {
  override readonly name = 'EngineTrustError';
}

/** Where and as whom an `ssh://` engine is reached, and what proves it is that host. */
export interface SshEngineTarget {
  host: string;
  port: number;
  username: string;
  /** The known_hosts file the host's key must be in. */
  knownHostsFile: string;
  /** The SSH agent's socket, when keys come from the agent. */
  agentSocket?: string;
  /** A private key, when one comes from a file. */
  privateKey?: Buffer;
  /** For messages: `ssh://user@host:port`. */
  endpoint: string;
}

/** How long the SSH connection may take to be ready (handshake and login). */
const SSH_READY_TIMEOUT_MS = 15_000;

/** The command Docker's own CLI runs on an `ssh://` engine's host: stdio bridged to its socket. */
const DIAL_STDIO = 'docker system dial-stdio';

/**
 * An HTTP agent for an `ssh://` engine that keeps ONE SSH connection and opens a channel on it
 * per HTTP connection (each channel runs `docker system dial-stdio` there, as Docker's CLI
 * does). docker-modem's own `protocol: 'ssh'` makes a new SSH client, handshake and login for
 * every API call; a tool call makes several. Channels are kept alive between requests like
 * sockets, so a warm tool call opens nothing new. The connection stops holding the process
 * open while no request uses it, and is made again if it drops.
 */
export class SshEngineAgent extends Agent {
  private client: Promise<Client> | null = null;
  private readonly held = new Set<Duplex>();
  /** Channels being opened: the process must wait for them as for a socket connecting. */
  private opening = 0;
  private socket: Socket | null = null;

  constructor(private readonly target: SshEngineTarget) {
    super({ keepAlive: true, maxFreeSockets: 8 });
  }

  /** How many SSH connections (handshakes) this agent has made: the bench checks it is 1. */
  connections = 0;

  override createConnection(
    _options: unknown,
    callback: (error: Error | null, socket?: Duplex) => void,
  ): undefined {
    this.opening++;
    const done = (): void => {
      this.opening--;
      this.updateRef();
    };
    this.connected().then(
      (client) =>
        client.exec(DIAL_STDIO, (error, channel) => {
          if (error) callback(error);
          else callback(null, this.asSocket(channel));
          done();
        }),
      (error: unknown) => {
        done();
        callback(error instanceof Error ? error : new Error(String(error)));
      },
    );
    return undefined;
  }

  /** Ends the SSH connection (its channels with it). */
  override destroy(): void {
    super.destroy();
    const client = this.client;
    this.client = null;
    void client?.then((c) => c.end()).catch(() => undefined);
  }

  private connected(): Promise<Client> {
    this.client ??= this.open().catch((error: unknown) => {
      this.client = null;
      throw error;
    });
    return this.client;
  }

  private async open(): Promise<Client> {
    const { Client: SshClient } = await import('ssh2');
    const { target } = this;
    const known = knownHostKeys(target.knownHostsFile, target.host, target.port);
    let refusal: EngineTrustError | null = null;
    if (known.length === 0) {
      throw new EngineTrustError(
        `the SSH host key of ${target.endpoint} is unknown: ${target.host} (port ${target.port}) ` +
          `is not in ${target.knownHostsFile}; add its key there (e.g. \`ssh-keyscan -p ${target.port} ${target.host} >> ${target.knownHostsFile}\`, after checking it) or set agent.sandbox.engine.ssh.knownHosts`,
      );
    }
    const socket = connectTcp(target.port, target.host);
    this.socket = socket;
    this.connections++;
    const config: ConnectConfig = {
      sock: socket,
      host: target.host,
      port: target.port,
      username: target.username,
      readyTimeout: SSH_READY_TIMEOUT_MS,
      // Offer only the key types known_hosts holds for the host, so the one it presents is checkable.
      algorithms: {
        serverHostKey: [...new Set(known.filter((k) => !k.revoked).map((k) => k.type))] as never,
      },
      hostVerifier: (key: Buffer) => {
        if (isTrustedHostKey(known, key)) return true;
        refusal = new EngineTrustError(
          `the SSH host key of ${target.endpoint} does not match the key ${target.knownHostsFile} ` +
            `holds for ${target.host} (port ${target.port}): refusing to connect (someone may be ` +
            'impersonating the host; if its key really changed, update that file)',
        );
        return false;
      },
      ...(target.agentSocket !== undefined ? { agent: target.agentSocket } : {}),
      ...(target.privateKey !== undefined ? { privateKey: target.privateKey } : {}),
    };
    const client = new SshClient();
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('error', (error) => reject(refusal ?? loginError(error, target)));
      client.connect(config);
    });
    client.on('error', () => undefined);
    client.once('close', () => {
      // Made again on the next request; kept-alive channels went with it.
      if (this.socket === socket) this.socket = null;
      this.client = null;
    });
    this.updateRef();
    return client;
  }

  /** A channel dressed as the socket node:http expects (it is one, for HTTP's purposes). */
  private asSocket(channel: ClientChannel): Duplex {
    const socket = channel as ClientChannel & Record<string, unknown>;
    let timer: NodeJS.Timeout | undefined;
    let idleMs = 0;
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      timer = idleMs > 0 ? setTimeout(() => channel.emit('timeout'), idleMs) : undefined;
    };
    channel.on('data', () => {
      if (timer) arm();
    });
    socket['setTimeout'] = (ms: number, onTimeout?: () => void) => {
      idleMs = ms;
      if (onTimeout) channel.once('timeout', onTimeout);
      arm();
      return channel;
    };
    socket['setKeepAlive'] = () => channel;
    socket['setNoDelay'] = () => channel;
    socket['ref'] = () => {
      this.held.add(channel);
      this.updateRef();
      return channel;
    };
    socket['unref'] = () => {
      this.held.delete(channel);
      this.updateRef();
      return channel;
    };
    channel.once('close', () => {
      if (timer) clearTimeout(timer);
      this.held.delete(channel);
      this.updateRef();
    });
    this.held.add(channel);
    this.updateRef();
    return channel;
  }

  // The SSH connection keeps the process alive only while a request uses one of its channels.
  private updateRef(): void {
    if (this.held.size > 0 || this.opening > 0) this.socket?.ref();
    else this.socket?.unref();
  }
}

function loginError(error: Error, target: SshEngineTarget): Error {
  if (/authentication methods failed/i.test(error.message)) {
    return new EngineTrustError(
      `logging in to ${target.endpoint} failed: the host refused ${target.agentSocket !== undefined ? 'the SSH agent’s keys' : 'the key'} (set agent.sandbox.engine.ssh.identityFile, or add the key to the SSH agent)`,
    );
  }
  return error;
}
