import type { EngineAddress } from '../domain/engine-health.js';

/**
 * Where the sandbox engine is, in a few words: `tcp://build:2376 (TLS verified)`,
 * `ssh://ci@build:22`, `unix:///var/run/docker.sock`, with the context or variable that named it.
 */
export function describeEngineAddress(address: EngineAddress): string {
  const tls = ((): string => {
    switch (address.tls) {
      case 'verified':
        return ' (TLS, verified)';
      case 'unverified':
        return ' (TLS NOT verified)';
      case 'none':
        return ' (plain TCP, NO TLS)';
      case 'not-applicable':
        return '';
      default: {
        const never: never = address.tls;
        return never;
      }
    }
  })();
  const from = ((): string => {
    switch (address.source) {
      case 'config':
        return '';
      case 'context':
        return ` from Docker context ${address.context ?? ''}`;
      case 'environment':
        return ' from DOCKER_HOST';
      case 'default':
        return '';
      default: {
        const never: never = address.source;
        return never;
      }
    }
  })();
  return `${address.endpoint}${tls}${from}`;
}
