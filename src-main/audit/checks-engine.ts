import { configCheck, type Check } from './finding-helpers.js';

/**
 * `agent.sandbox.engine`: an engine reached over plain TCP (`insecure: true`) or over TLS that
 * does not check the engine's certificate. Whoever can reach (or sit on the path to) that port
 * drives the Docker API: every sandbox, and through a privileged container the engine's host.
 */
export const checkSandboxEngine: Check = configCheck((config) => {
  const { engine } = config.agent.sandbox;
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
});
