import Docker from 'dockerode';

/**
 * A Docker API client for the local engine (`DOCKER_HOST` if set, else the default socket).
 * Calls time out so an unresponsive engine cannot hold up the kill switch.
 */
export function createDockerClient(timeoutMs = 5000): Docker {
  return new Docker({ ...dockerSocketOptions(), timeout: timeoutMs });
}

function dockerSocketOptions(): Docker.DockerOptions {
  const host = process.env['DOCKER_HOST'];
  if (host?.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  return process.platform === 'win32'
    ? { socketPath: '//./pipe/docker_engine' }
    : { socketPath: '/var/run/docker.sock' };
}
