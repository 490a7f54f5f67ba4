import { installationId } from '../installation-id.js';

/** The label every Clawdbot sandbox container carries; the kill switch finds them by it. */
export const SANDBOX_LABEL = 'clawdbot.sandbox';
/** The label naming the session a sandbox container belongs to. */
export const SESSION_KEY_LABEL = 'clawdbot.sessionKey';
/** The label naming the installation (state directory) that created a sandbox container. */
export const INSTALLATION_LABEL = 'clawdbot.installation';
/** The Docker label filter selecting every Clawdbot sandbox container. */
export const SANDBOX_LABEL_FILTER = `${SANDBOX_LABEL}=1`;

/**
 * Whose sandboxes the kill switch removes: one installation's, or (`clawdbot kill
 * --all-installations`) every Clawdbot sandbox on the engine, whichever installation made it.
 */
export type SandboxReach = { kind: 'installation'; id: string } | { kind: 'all-installations' };

/**
 * Whether the kill switch of `reach` removes a sandbox container with these labels: its own
 * installation's, and also the legacy ones, created before sandboxes carried an installation
 * label. Those cannot be attributed from the engine, and the kill switch removed them before
 * this change, so it keeps doing so rather than leave them running forever: the kill switch errs
 * on the side of stopping things, and the installation that made one loses only a warm container
 * (its workspace stays; its next tool call creates a labelled one).
 */
export function killReaches(
  reach: SandboxReach,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  switch (reach.kind) {
    case 'all-installations':
      return true;
    case 'installation': {
      const owner = labels?.[INSTALLATION_LABEL];
      return owner === undefined || owner === reach.id;
    }
    default: {
      const never: never = reach;
      throw new Error(`unknown sandbox reach ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The kill switch's reach for a state directory: its installation's sandboxes. Read on each use
 * (cheap) so an id created after a long-running process started is the one used. An id that
 * cannot be read must not keep the kill switch from stopping things: then the reach is every
 * Clawdbot sandbox on the engine (what the switch did before installations), and `onUnreadable`
 * hears why.
 */
export function installationReach(
  stateDir: string,
  onUnreadable: (error: unknown) => void,
): SandboxReach {
  try {
    return { kind: 'installation', id: installationId(stateDir) };
  } catch (error) {
    onUnreadable(error);
    return { kind: 'all-installations' };
  }
}
