import type Docker from 'dockerode';
import { clientEndpoint } from './docker-client.js';
import { EngineTrustError } from './ssh-engine-agent.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** What a user refused by the Docker socket (EACCES) does about it. */
export const DOCKER_GROUP_FIX =
  'add yourself to the docker group (`sudo usermod -aG docker "$(id -un)"`), then log out and back in';

/**
 * A one-line explanation of a Docker failure that a person can act on. One line even when the
 * engine quotes a runtime's multi-line output, so a report or a log keeps one line per item.
 */
export function describeDockerError(error: unknown): string {
  return explain(error)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

function explain(error: unknown): string {
  const err = error as NodeJS.ErrnoException & { address?: string; json?: { message?: string } };
  if (err?.code === 'ENOENT' || err?.code === 'ECONNREFUSED') {
    return `Docker is not reachable (${err.code}${err.address ? ` at ${err.address}` : ''}); is the Docker engine running?`;
  }
  if (err?.code === 'EACCES') {
    return `permission denied on the Docker socket${err.address ? ` ${err.address}` : ''}: ${DOCKER_GROUP_FIX}`;
  }
  if (err?.json?.message) return err.json.message;
  if (isTlsRefusal(error)) {
    return (
      `the engine's TLS certificate was refused (${err.code}: ${err.message}): it must be signed ` +
      'by the CA given (agent.sandbox.engine.tls.ca, ca.pem in DOCKER_CERT_PATH, or the Docker ' +
      "context's), and name the host connected to"
    );
  }
  return describeError(error);
}

/** The HTTP status of a Docker API error, if it has one. */
export function dockerStatus(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error
    ? Number(error.statusCode)
    : undefined;
}

/** Where a Docker client connects, for messages: the socket path or `host:port`. */
export function dockerEndpoint(docker: Docker): string {
  const known = clientEndpoint(docker);
  if (known !== undefined) return known;
  const modem = docker.modem as { socketPath?: unknown; host?: unknown; port?: unknown };
  if (typeof modem.socketPath === 'string') return modem.socketPath;
  if (typeof modem.host === 'string') {
    const port = typeof modem.port === 'number' || typeof modem.port === 'string' ? modem.port : '';
    return `${modem.host}:${port}`;
  }
  return 'the default Docker socket';
}

const UNREACHABLE_CODES = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EACCES',
  'EPERM',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);

/** Whether an error means the engine could not be talked to at all (as opposed to said no). */
export function isDockerUnreachable(error: unknown): boolean {
  if (dockerStatus(error) !== undefined) return false;
  // An engine whose host key or certificate is not trusted is one nobody may talk to.
  if (error instanceof EngineTrustError || isTlsRefusal(error)) return true;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && UNREACHABLE_CODES.has(code)) return true;
  const name = (error as Error | null)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}

/** Whether TLS refused the engine (its certificate not signed by the CA given, wrong name…). */
export function isTlsRefusal(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return (
    typeof code === 'string' &&
    (code.startsWith('ERR_TLS_') ||
      code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
      code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
      code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
      code === 'CERT_HAS_EXPIRED' ||
      code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' ||
      code === 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' ||
      code.startsWith('ERR_SSL_'))
  );
}
