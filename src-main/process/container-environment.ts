import { lstatSync, readFileSync } from 'node:fs';

/**
 * What a process can learn about the container it runs in, from the inside: whether it is in
 * one at all, and the container's own hardening as the kernel reports it (mounts, capabilities,
 * user, no-new-privileges). What it cannot see from here: how the engine publishes its ports,
 * the seccomp or AppArmor profile's content, and the host paths behind its mounts (only the
 * path inside the source filesystem, which for a bind of a directory on the host's root
 * filesystem is the host path).
 */

/** One line of `/proc/self/mountinfo`: where, what from, and how. */
export interface MountEntry {
  /** The mount point inside this mount namespace. */
  mountPoint: string;
  /** The path inside the source filesystem that is mounted there (a bind's source directory). */
  root: string;
  /** The per-mount options (`ro`, `rw`, `nosuid`…). */
  options: string[];
  fsType: string;
  /** The filesystem's source (a device, `tmpfs`, `overlay`…). */
  source: string;
}

// mountinfo escapes space, tab, newline and backslash as octal.
function unescapeMount(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}

/**
 * Parses `/proc/self/mountinfo`: `id parent major:minor root mountpoint options [optional…] -
 * fstype source superoptions`.
 */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (dash < 6) continue;
    entries.push({
      root: unescapeMount(fields[3] ?? ''),
      mountPoint: unescapeMount(fields[4] ?? ''),
      options: (fields[5] ?? '').split(','),
      fsType: fields[dash + 1] ?? '',
      source: unescapeMount(fields[dash + 2] ?? ''),
    });
  }
  return entries;
}

/** The capability and privilege lines of `/proc/self/status`. */
export interface ProcessPrivileges {
  /** Effective capabilities, as the kernel's hex mask. */
  capEff: bigint;
  /** The bounding set: what an exec of a setuid or file-capability binary could still gain. */
  capBnd: bigint;
  /** Whether no_new_privs is set (`--security-opt no-new-privileges`). */
  noNewPrivs: boolean;
}

/** Parses the `CapEff`, `CapBnd` and `NoNewPrivs` lines of `/proc/self/status`. */
export function parseProcessStatus(text: string): ProcessPrivileges {
  const field = (name: string): string | undefined =>
    new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(text)?.[1];
  const hex = (value: string | undefined): bigint => (value ? BigInt(`0x${value}`) : 0n);
  return {
    capEff: hex(field('CapEff')),
    capBnd: hex(field('CapBnd')),
    noNewPrivs: field('NoNewPrivs') === '1',
  };
}

/** The names of the capabilities in a mask (Linux numbering; unknown bits as `cap_<n>`). */
export function capabilityNames(mask: bigint): string[] {
  const names = [
    'chown',
    'dac_override',
    'dac_read_search',
    'fowner',
    'fsetid',
    'kill',
    'setgid',
    'setuid',
    'setpcap',
    'linux_immutable',
    'net_bind_service',
    'net_broadcast',
    'net_admin',
    'net_raw',
    'ipc_lock',
    'ipc_owner',
    'sys_module',
    'sys_rawio',
    'sys_chroot',
    'sys_ptrace',
    'sys_pacct',
    'sys_admin',
    'sys_boot',
    'sys_nice',
    'sys_resource',
    'sys_time',
    'sys_tty_config',
    'mknod',
    'lease',
    'audit_write',
    'audit_control',
    'setfcap',
    'mac_override',
    'mac_admin',
    'syslog',
    'wake_alarm',
    'block_suspend',
    'audit_read',
    'perfmon',
    'bpf',
    'checkpoint_restore',
  ];
  const out: string[] = [];
  for (let bit = 0; bit < 64; bit += 1) {
    if ((mask >> BigInt(bit)) & 1n) out.push(names[bit] ?? `cap_${bit}`);
  }
  return out;
}

/** What the process sees of its own container. */
export interface ContainerSelf {
  /** What said so (the engine's mount of /etc/hostname, or `$container`). */
  marker: string;
  readOnlyRoot: boolean;
  uid: number;
  privileges: ProcessPrivileges;
  /** Mount points that are sockets (a container engine's API: Docker's, Podman's, containerd's). */
  socketMounts: string[];
  /** Mounts whose source is a home directory (by the path inside its filesystem). */
  homeMounts: MountEntry[];
}

/**
 * How a container engine marks the files it bind-mounts over /etc/hostname, /etc/hosts and
 * /etc/resolv.conf: from its per-container directory, named by the container's 64-hex id
 * (Docker: `…/containers/<id>/hostname`; Podman: `…/overlay-containers/<id>/userdata/hostname`).
 * `/.dockerenv` alone is no proof: some virtual machines are made from exported images and keep
 * it, as this project's own CI machines do.
 */
const ENGINE_MOUNT_ROOT =
  /\/(?:overlay-)?containers\/([0-9a-f]{64})\/(?:userdata\/)?(?:hostname|hosts|resolv\.conf)$/;
const ENGINE_MOUNT_POINTS = new Set(['/etc/hostname', '/etc/hosts', '/etc/resolv.conf']);

/** The engine's mark among the mounts (see {@link ENGINE_MOUNT_ROOT}), or null. */
export function engineMountMarker(mounts: readonly MountEntry[]): string | null {
  for (const mount of mounts) {
    if (!ENGINE_MOUNT_POINTS.has(mount.mountPoint)) continue;
    const id = ENGINE_MOUNT_ROOT.exec(mount.root)?.[1];
    if (id) return `the engine's mount of ${mount.mountPoint} (container ${id.slice(0, 12)})`;
  }
  return null;
}

/**
 * Whether this process runs in a container, and by what sign; null when not. Read from
 * /proc/self/mountinfo (see {@link engineMountMarker}), else `$container`, which
 * systemd-nspawn, LXC and Podman put in PID 1's environment.
 */
export function containerMarker(
  env: NodeJS.ProcessEnv = process.env,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): string | null {
  let mountinfo = '';
  try {
    mountinfo = read('/proc/self/mountinfo');
  } catch {
    // No /proc (not Linux): not a container we could check from inside.
  }
  const marker = engineMountMarker(parseMountInfo(mountinfo));
  if (marker) return marker;
  const kind = env['container']?.trim();
  return kind ? `$container=${kind}` : null;
}

/** Whether a mount's source path is a home directory or lies in one. */
export function isHomeSource(root: string): boolean {
  return /^\/(home|Users)(\/[^/]+)?(\/|$)/.test(root) || /^\/root(\/|$)/.test(root);
}

function isSocket(path: string): boolean {
  try {
    return lstatSync(path).isSocket();
  } catch {
    return false;
  }
}

/** Reads this process's own container facts, or null when it is not in a container. */
export function readContainerSelf(
  env: NodeJS.ProcessEnv = process.env,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
  socketAt: (path: string) => boolean = isSocket,
): ContainerSelf | null {
  const marker = containerMarker(env, read);
  if (marker === null) return null;
  return describeContainer(marker, read('/proc/self/mountinfo'), read('/proc/self/status'), {
    uid: process.getuid?.() ?? -1,
    socketAt,
  });
}

/** The container facts from the text of mountinfo and status (testable without a container). */
export function describeContainer(
  marker: string,
  mountinfo: string,
  status: string,
  options: { uid: number; socketAt: (path: string) => boolean },
): ContainerSelf {
  const mounts = parseMountInfo(mountinfo);
  // The last mount on / is the one in force (a later mount covers an earlier one).
  const root = mounts.filter((m) => m.mountPoint === '/').at(-1);
  return {
    marker,
    readOnlyRoot: root?.options.includes('ro') ?? false,
    uid: options.uid,
    privileges: parseProcessStatus(status),
    socketMounts: mounts
      .filter((m) => m.fsType !== 'proc' && m.fsType !== 'sysfs')
      .map((m) => m.mountPoint)
      .filter((p) => /\.sock$/.test(p) || options.socketAt(p)),
    homeMounts: mounts.filter((m) => m.mountPoint !== '/' && isHomeSource(m.root)),
  };
}
