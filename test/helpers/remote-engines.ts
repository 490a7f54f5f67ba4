import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateDockerEngine, type PrivateDockerEngine } from './private-docker-engine.js';
import { waitFor } from './wait.js';

/** Debian's OpenSSH server (`apt-get install openssh-server`), which the SSH engine tests run. */
export const SSHD = '/usr/sbin/sshd';

/** Why a remote engine cannot be started here, or null when it can. */
export function remoteEnginesMissing(): string | null {
  for (const [path, what] of [
    ['/usr/bin/openssl', 'openssl (apt-get install -y openssl)'],
    [SSHD, 'the OpenSSH server (apt-get install -y openssh-server)'],
    ['/usr/bin/ssh-keygen', 'ssh-keygen (apt-get install -y openssh-client)'],
  ] as const) {
    if (!existsSync(path)) return `${what} is not installed`;
  }
  return null;
}

/** A free TCP port on loopback (asked of the kernel, then released for the daemon to take). */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** A CA and certificates signed by it, made by `openssl`, as Docker's TLS guide makes them. */
export interface TestCertificates {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  /** The client certificate and key (the files Docker's CLI calls cert.pem and key.pem). */
  cert: string;
  key: string;
}

/** Makes a CA (`name`), a server certificate for 127.0.0.1 and a client certificate in `dir`. */
export function makeCertificates(dir: string, name: string): TestCertificates {
  mkdirSync(dir, { recursive: true });
  const file = (f: string): string => join(dir, f);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' });
  };
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    file('ca-key.pem'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
  );
  const sign = (who: string, subject: string, ext: string): void => {
    openssl(
      'req',
      ...ecKey,
      '-keyout',
      file(`${who}-key.pem`),
      '-out',
      file(`${who}.csr`),
      '-subj',
      subject,
    );
    writeFileSync(file(`${who}.ext`), ext);
    openssl(
      'x509',
      '-req',
      '-in',
      file(`${who}.csr`),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca-key.pem'),
      '-CAcreateserial',
      '-out',
      file(`${who}-cert.pem`),
      '-days',
      '2',
      '-extfile',
      file(`${who}.ext`),
    );
  };
  sign(
    'server',
    '/CN=127.0.0.1',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  sign('client', '/CN=clawdbot-test', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    ca: file('ca.pem'),
    serverCert: file('server-cert.pem'),
    serverKey: file('server-key.pem'),
    cert: file('client-cert.pem'),
    key: file('client-key.pem'),
  };
}

/** A private engine that also listens on 127.0.0.1 with `--tlsverify`. */
export interface TlsDockerEngine {
  engine: PrivateDockerEngine;
  /** `tcp://127.0.0.1:PORT`. */
  tcpHost: string;
  certs: TestCertificates;
  /** The same files under Docker's names (ca.pem, cert.pem, key.pem), for DOCKER_CERT_PATH. */
  certPath: string;
  stop(): Promise<void>;
}

/** Starts a private `dockerd` with a TLS listener, its certificates made by `openssl` here. */
export async function startTlsDockerEngine(): Promise<TlsDockerEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-tls-'));
  const certs = makeCertificates(join(dir, 'pki'), 'clawdbot-test-ca');
  const certPath = join(dir, 'docker-cert-path');
  mkdirSync(certPath);
  writeFileSync(join(certPath, 'ca.pem'), readFileSync(certs.ca));
  writeFileSync(join(certPath, 'cert.pem'), readFileSync(certs.cert));
  writeFileSync(join(certPath, 'key.pem'), readFileSync(certs.key));
  const port = await freeLoopbackPort();
  const tcpHost = `tcp://127.0.0.1:${port}`;
  let engine: PrivateDockerEngine;
  try {
    engine = await startPrivateDockerEngine({
      extraArgs: [
        '--tlsverify',
        '--tlscacert',
        certs.ca,
        '--tlscert',
        certs.serverCert,
        '--tlskey',
        certs.serverKey,
        '-H',
        tcpHost,
      ],
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    engine,
    tcpHost,
    certs,
    certPath,
    async stop() {
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An `sshd` on loopback whose sessions reach one Docker engine (as root, by key). */
export interface SshEngineServer {
  /** `ssh://root@127.0.0.1:PORT`. */
  host: string;
  port: number;
  /** The client's private key (OpenSSH format). */
  identityFile: string;
  /** A known_hosts file holding this server's host key. */
  knownHosts: string;
  /** How many logins (SSH handshakes that authenticated) the server has accepted so far. */
  logins(): number;
  stop(): Promise<void>;
}

/**
 * Starts `sshd -D` on 127.0.0.1 with a host key, an authorized key and a config of its own, and
 * `DOCKER_HOST` set in its sessions to `dockerHost`, so `docker system dial-stdio` there (what
 * Docker's CLI and Clawdbot run over SSH) reaches that engine. No ForceCommand: a login is a
 * login, as on a real engine host.
 */
export async function startSshEngineServer(dockerHost: string): Promise<SshEngineServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-ssh-'));
  const file = (f: string): string => join(dir, f);
  const keygen = (path: string): void => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path], { stdio: 'pipe' });
  };
  keygen(file('host_ed25519'));
  keygen(file('client_ed25519'));
  writeFileSync(file('authorized_keys'), readFileSync(file('client_ed25519.pub')), { mode: 0o600 });
  const port = await freeLoopbackPort();
  const [type, key] = readFileSync(file('host_ed25519.pub'), 'utf8').trim().split(/\s+/);
  writeFileSync(file('known_hosts'), `[127.0.0.1]:${port} ${type} ${key}\n`);
  writeFileSync(
    file('sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${file('host_ed25519')}`,
      `AuthorizedKeysFile ${file('authorized_keys')}`,
      `PidFile ${file('sshd.pid')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'AllowUsers root',
      `SetEnv DOCKER_HOST=${dockerHost}`,
      // Channels are cheap; the test's clients open several at a time.
      'MaxSessions 64',
      '',
    ].join('\n'),
  );
  // Privilege separation needs its empty directory (Debian's service creates it at boot).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const daemon: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', file('sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  daemon.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    daemon.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async (): Promise<void> => {
    if (!exited) {
      daemon.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      'sshd to listen',
      async () => {
        if (exited) throw new Error(`sshd exited at start: ${stderr.trim()}`);
        return new Promise<boolean>((resolve) => {
          const socket = createConnection(port, '127.0.0.1');
          socket.once('data', () => {
            socket.destroy();
            resolve(true);
          });
          socket.once('error', () => resolve(false));
        });
      },
      15_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    host: `ssh://root@127.0.0.1:${port}`,
    port,
    identityFile: file('client_ed25519'),
    knownHosts: file('known_hosts'),
    logins: () => stderr.match(/^Accepted publickey for root/gm)?.length ?? 0,
    stop,
  };
}
