import type { EngineConfig } from '../../src-shared/config/engine-schema.js';
import type { Finding } from '../../src-shared/domain/audit.js';
import { resolveEngine } from '../docker/engine-target.js';
import { configCheck, type Check } from './finding-helpers.js';

/**
 * `agent.sandbox.engine`: an engine reached over plain TCP (`insecure: true`) or over TLS that
 * does not check the engine's certificate. Whoever can reach (or sit on the path to) that port
 * drives the Docker API: every sandbox, and through a privileged container the engine's host.
 */
export const checkSandboxEngine: Check = configCheck((config) => [
  ...settingFindings(config.agent.sandbox.engine),
  ...environmentEngineFindings(config.agent.sandbox.engine, process.env),
]);

function settingFindings(engine: EngineConfig | undefined): Finding[] {
  if (engine?.host?.startsWith('tcp://') !== true) return [];
  if (engine.insecure) {
    return [
      {
        id: 'sandbox.engine-insecure',
        severity: 'high',
        title: `the sandbox engine ${engine.host} is reached without TLS`,
        meaning:
          'agent.sandbox.engine.insecure is true: the Docker API travels in clear text with no client certificate, so anyone who can reach that port (or sits on the path to it) controls every sandbox, sees every tool call, and can start privileged containers on the engine’s host.',
        fix: 'Protect the engine with TLS (dockerd --tlsverify with a CA, server and client certificates) and set agent.sandbox.engine.tls { ca, cert, key }, or reach it over ssh://.',
        fixable: false,
        path: 'agent.sandbox.engine.insecure',
      },
    ];
  }
  if (engine.tls && !engine.tls.verify) {
    return [
      {
        id: 'sandbox.engine-tls-unverified',
        severity: 'high',
        title: `the sandbox engine ${engine.host}'s certificate is not checked`,
        meaning:
          'agent.sandbox.engine.tls.verify is false: the connection is encrypted, but anyone on the path can pose as the engine and receive every tool call and file of the sandboxes.',
        fix: 'Set agent.sandbox.engine.tls.ca to the CA that signed the engine’s certificate and remove verify: false.',
        fixable: false,
        path: 'agent.sandbox.engine.tls.verify',
      },
    ];
  }
  return [];
}

/**
 * The same for an engine that the environment names (`DOCKER_HOST` with or without
 * `DOCKER_TLS_VERIFY`, or a Docker context) when `agent.sandbox.engine` does not: a plain
 * `DOCKER_HOST=tcp://…` is as open as `insecure: true`, only less visible. A setting that cannot
 * be resolved is left to status and doctor, which say why the engine is unreachable.
 */
export function environmentEngineFindings(
  setting: EngineConfig | undefined,
  env: NodeJS.ProcessEnv,
): Finding[] {
  if (setting?.host !== undefined || setting?.context !== undefined) return [];
  let target: ReturnType<typeof resolveEngine>;
  try {
    target = resolveEngine(setting, env);
  } catch {
    return [];
  }
  if (target.transport !== 'tcp') return [];
  const named =
    target.source === 'context' ? `the Docker context ${target.context ?? ''}` : 'DOCKER_HOST';
  const path = target.source === 'context' ? 'DOCKER_CONTEXT' : 'DOCKER_HOST';
  if (target.tls === 'none') {
    return [
      {
        id: 'sandbox.engine-insecure',
        severity: 'high',
        title: `the sandbox engine ${target.endpoint} (from ${named}) is reached without TLS`,
        meaning: `${named} names a plain TCP engine: the Docker API travels in clear text with no client certificate, so anyone who can reach that port (or sits on the path to it) controls every sandbox, sees every tool call, and can start privileged containers on the engine’s host.`,
        fix: 'Protect the engine with TLS and set DOCKER_TLS_VERIFY=1 with DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem), or set agent.sandbox.engine with tls { ca, cert, key }, or reach it over ssh://.',
        fixable: false,
        path,
      },
    ];
  }
  if (target.tls === 'unverified') {
    return [
      {
        id: 'sandbox.engine-tls-unverified',
        severity: 'high',
        title: `the sandbox engine ${target.endpoint}'s certificate (from ${named}) is not checked`,
        meaning: `${named} names a TLS engine without verifying it: the connection is encrypted, but anyone on the path can pose as the engine and receive every tool call and file of the sandboxes.`,
        fix: 'Set DOCKER_TLS_VERIFY=1 with DOCKER_CERT_PATH holding the CA that signed the engine’s certificate.',
        fixable: false,
        path,
      },
    ];
  }
  return [];
}
