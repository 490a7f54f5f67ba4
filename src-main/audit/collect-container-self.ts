import { readContainerSelf } from '../process/container-environment.js';
import type { ContainerFactSelf } from './audit-input.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** The variable compose.yaml sets to the host address its `ports:` publish the web UI on. */
export const WEB_PUBLISH_ENV = 'CLAWDBOT_WEB_PUBLISH';

/**
 * The container this process runs in, from the inside (/proc/self/mountinfo and status), with
 * the publish address compose.yaml declares; null when not in a container. A /proc that cannot
 * be read (a hardened kernel) is not a reason to fail the audit: the facts read as the
 * loosest, so the checks say so rather than stay silent.
 */
export function collectContainerSelf(env: NodeJS.ProcessEnv): ContainerFactSelf | null {
  const webPublish = env[WEB_PUBLISH_ENV]?.trim() || null;
  try {
    const self = readContainerSelf(env);
    return self ? { ...self, webPublish } : null;
  } catch (error) {
    return {
      marker: `unreadable /proc (${describeError(error)})`,
      readOnlyRoot: false,
      uid: process.getuid?.() ?? -1,
      privileges: { capEff: -1n, capBnd: -1n, noNewPrivs: false },
      socketMounts: [],
      homeMounts: [],
      webPublish,
    };
  }
}
