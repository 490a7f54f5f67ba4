import type Docker from 'dockerode';
import {
  describeDockerError,
  DOCKER_GROUP_FIX,
  dockerEndpoint,
  isDockerUnreachable,
  isTlsRefusal,
} from '../docker/docker-errors.js';
import { EngineTrustError } from '../docker/ssh-engine-agent.js';
import { SandboxUnavailableError } from './sandbox-errors.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** The refusal for an engine that does not answer. */
export function dockerUnreachableError(docker: Docker, cause: unknown): SandboxUnavailableError {
  return new SandboxUnavailableError(
    'docker-unreachable',
    `Docker is not reachable at ${dockerEndpoint(docker)} (${shortCause(cause)}): ` +
      'sandboxed tools are refused; nothing runs on the host',
    { cause },
  );
}

// ENOENT, ECONNREFUSED, …: the code says it all (EACCES with its fix); otherwise the message.
function shortCause(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES') return `EACCES: ${DOCKER_GROUP_FIX}`;
  if (error instanceof EngineTrustError || isTlsRefusal(error)) return describeDockerError(error);
  if (typeof code === 'string') return code;
  return describeError(error);
}

/** The refusal for an image that is not on the engine. */
export function imageMissingError(image: string, cause?: unknown): SandboxUnavailableError {
  return new SandboxUnavailableError(
    'image-missing',
    `sandbox image ${image} is missing: run clawdbot sandbox image build --offline ` +
      '(or without --offline where a registry is reachable); sandboxed tools are refused until then',
    { cause },
  );
}

/**
 * Turns any failure of a Docker call made for a sandbox into a {@link SandboxUnavailableError}
 * (unless it already is one), so callers have one error type to fail closed on.
 */
export function asSandboxUnavailable(
  docker: Docker,
  what: string,
  error: unknown,
): SandboxUnavailableError {
  if (error instanceof SandboxUnavailableError) return error;
  if (isDockerUnreachable(error)) return dockerUnreachableError(docker, error);
  return new SandboxUnavailableError(
    'container-failed',
    `${what} failed: ${describeDockerError(error)}; sandboxed tools are refused; nothing runs on the host`,
    { cause: error },
  );
}
