import { describe, expect, it } from 'vitest';
import {
  capabilityNames,
  containerMarker,
  describeContainer,
  parseMountInfo,
  parseProcessStatus,
} from '../../src-main/process/container-environment.js';

const ID = '1dc158fe6bdab1e8a26c436c1b99f367e06580a4941ebce375d9a62758cb569b';

/** /proc/self/mountinfo of a gateway container as compose.yaml runs it, plus what an owner may add. */
function mountinfo(options: { rootOptions: string; extra?: string[] }): string {
  return [
    `76 51 0:40 / / ${options.rootOptions},relatime - overlay overlay rw,lowerdir=/l`,
    '77 76 0:43 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw',
    '78 76 0:44 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755',
    '80 76 0:46 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro',
    `93 76 254:0 /var/lib/docker/containers/${ID}/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda rw`,
    `94 76 254:0 /var/lib/docker/containers/${ID}/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw`,
    `95 76 254:0 /var/lib/docker/containers/${ID}/hosts /etc/hosts rw,relatime - ext4 /dev/vda rw`,
    '96 76 254:0 /var/lib/docker/volumes/clawdbot_clawdbot-data/_data /data rw,relatime - ext4 /dev/vda rw',
    '97 76 0:51 / /tmp rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,size=65536k',
    ...(options.extra ?? []),
    '',
  ].join('\n');
}

const hardenedStatus = [
  'Name:\tnode',
  'Uid:\t10001\t10001\t10001\t10001',
  'CapInh:\t0000000000000000',
  'CapPrm:\t0000000000000000',
  'CapEff:\t0000000000000000',
  'CapBnd:\t0000000000000000',
  'CapAmb:\t0000000000000000',
  'NoNewPrivs:\t1',
  '',
].join('\n');

describe('the container seen from the inside', () => {
  it('knows a Docker container by the engine mounts of /etc/hostname, not by /.dockerenv', () => {
    const inside = mountinfo({ rootOptions: 'ro' });
    expect(containerMarker({}, () => inside)).toMatch(/container 1dc158fe6bda/);
    // A virtual machine made from an exported image keeps /.dockerenv but has no such mounts.
    const vm = '26 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n';
    expect(containerMarker({}, () => vm)).toBeNull();
    expect(containerMarker({ container: 'podman' }, () => vm)).toBe('$container=podman');
  });

  it('reads a hardened container: read-only root, no capabilities, no new privileges', () => {
    const self = describeContainer('m', mountinfo({ rootOptions: 'ro' }), hardenedStatus, {
      uid: 10001,
      socketAt: () => false,
    });
    expect(self).toMatchObject({
      readOnlyRoot: true,
      uid: 10001,
      privileges: { capEff: 0n, capBnd: 0n, noNewPrivs: true },
      socketMounts: [],
      homeMounts: [],
    });
  });

  it('sees a writable root, a mounted Docker socket and a mounted home directory', () => {
    const text = mountinfo({
      rootOptions: 'rw',
      extra: [
        '98 76 0:25 /docker.sock /var/run/docker.sock rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw',
        '99 76 0:26 /run/podman/podman.sock /run/engine rw,relatime - tmpfs tmpfs rw',
        '100 76 254:0 /home/alice /workspace rw,relatime - ext4 /dev/vda rw',
        '101 76 254:0 /root/.ssh /keys ro,relatime - ext4 /dev/vda rw',
      ],
    });
    const self = describeContainer('m', text, hardenedStatus, {
      uid: 10001,
      socketAt: (path) => path === '/run/engine',
    });
    expect(self.readOnlyRoot).toBe(false);
    expect(self.socketMounts).toEqual(['/var/run/docker.sock', '/run/engine']);
    expect(self.homeMounts.map((m) => [m.mountPoint, m.root])).toEqual([
      ['/workspace', '/home/alice'],
      ['/keys', '/root/.ssh'],
    ]);
  });

  it('parses escaped mount paths and capability masks', () => {
    const [entry] = parseMountInfo('1 0 0:1 /home/a\\040b /mnt/x\\040y rw - ext4 /dev/sda rw\n');
    expect(entry).toMatchObject({ root: '/home/a b', mountPoint: '/mnt/x y' });
    const status = parseProcessStatus(
      'CapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\nNoNewPrivs:\t0\n',
    );
    expect(status.noNewPrivs).toBe(false);
    // Docker's default set for a root process.
    expect(capabilityNames(status.capEff)).toEqual([
      'chown',
      'dac_override',
      'fowner',
      'fsetid',
      'kill',
      'setgid',
      'setuid',
      'setpcap',
      'net_bind_service',
      'net_raw',
      'sys_chroot',
      'mknod',
      'audit_write',
      'setfcap',
    ]);
  });
});
