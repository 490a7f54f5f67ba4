import { SANDBOX_IMAGE_GID, SANDBOX_IMAGE_UID } from './image-recipe.js';

/** The numeric user a sandbox runs as, and owns its workspace. */
export interface SandboxUser {
  uid: number;
  gid: number;
}

/** The host identity the sandbox user is derived from (the Clawdbot process's, by default). */
export interface HostIdentity {
  uid: number;
  gid: number;
}

/** This process's uid/gid; on platforms without them, the image's sandbox user. */
export function currentHostIdentity(): HostIdentity {
  return {
    uid: process.getuid?.() ?? SANDBOX_IMAGE_UID,
    gid: process.getgid?.() ?? SANDBOX_IMAGE_GID,
  };
}

/**
 * Resolves `agent.sandbox.docker.user` to numbers.
 *
 * `auto` makes the workspace readable by the host user without any permission games: a
 * non-root Clawdbot runs the container as its own uid/gid, so every file the sandbox writes
 * belongs to the host user (a bind mount keeps numeric ids). A root Clawdbot must not hand
 * root to the container, so it uses the image's `sandbox` user (1000:1000) and chowns the
 * workspace to it; root on the host reads those files anyway.
 */
export function resolveSandboxUser(
  spec: string,
  host: HostIdentity = currentHostIdentity(),
): SandboxUser {
  if (spec === 'auto') {
    return host.uid === 0 ? { uid: SANDBOX_IMAGE_UID, gid: SANDBOX_IMAGE_GID } : { ...host };
  }
  const [uidText, gidText] = spec.split(':');
  const uid = Number(uidText);
  const gid = gidText === undefined ? uid : Number(gidText);
  if (!Number.isSafeInteger(uid) || !Number.isSafeInteger(gid) || uid < 0 || gid < 0) {
    throw new Error(`agent.sandbox.docker.user must be "auto", a uid or "uid:gid": ${spec}`);
  }
  return { uid, gid };
}

/** The `User` value for Docker: always numeric. */
export function dockerUser(user: SandboxUser): string {
  return `${user.uid}:${user.gid}`;
}
