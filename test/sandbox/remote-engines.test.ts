import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineConfig } from '../../src-shared/config/engine-schema.js';
import { DEFAULT_SANDBOX_IMAGE } from '../../src-shared/config/sandbox-schema.js';
import type { KillReport } from '../../src-shared/domain/kill-switch.js';
import { MAX_UI_FILE_BYTES } from '../../src-shared/domain/sandbox.js';
import { SandboxUnavailableError } from '../../src-main/sandbox/sandbox-errors.js';
import { SandboxManager } from '../../src-main/sandbox/sandbox-manager.js';
import { INSTALLATION_LABEL, SANDBOX_LABEL_FILTER } from '../../src-main/docker/sandbox-labels.js';
import { installationId } from '../../src-main/installation-id.js';
import { recordEngineUse } from '../../src-main/docker/engine-record.js';
import { closeEngineConnections, resolveEngine } from '../../src-main/docker/engine-target.js';
import { writeConfig } from '../helpers/gateway-harness.js';
import {
  obeyingAttacker,
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../fixtures/scripted-model-server.js';
import { startAgentGateway } from '../helpers/agent-gateway.js';
import { runCli } from '../helpers/cli.js';
import { dockerAvailable, testDockerClient } from '../helpers/docker.js';
import {
  makeCertificates,
  remoteEnginesMissing,
  startSshEngineServer,
  startTlsDockerEngine,
  type SshEngineServer,
  type TlsDockerEngine,
} from '../helpers/remote-engines.js';
import {
  SANDBOX_IMAGE_BUILD_TIMEOUT_MS,
  ensureSandboxImage,
  sandboxImageMissing,
} from '../helpers/sandbox-image.js';
import { sandboxTestLog, scratchDir } from './sandbox-test-kit.js';

const hasDocker = await dockerAvailable();
const missing = remoteEnginesMissing();
if (missing && hasDocker && process.env['CLAWDBOT_REQUIRE_DOCKER'] === '1') {
  throw new Error(`CLAWDBOT_REQUIRE_DOCKER=1 but the remote engine tests cannot run: ${missing}`);
}

interface StatusJson {
  sandboxEngine: {
    reachable: boolean;
    address: { endpoint: string; source: string; tls: string; remote: boolean } | null;
    image?: { present: boolean };
    sandboxes?: number;
    error?: string;
  };
}

/**
 * Sandboxes on a Docker engine reached the way users reach a remote one: a second `dockerd`
 * listening on 127.0.0.1 with `--tlsverify` (certificates made by `openssl` here), and the same
 * engine through an `sshd` on loopback (`docker system dial-stdio` in its sessions). Nothing
 * is faked: the gateway, the CLI and the sandbox manager resolve `agent.sandbox.engine` and talk
 * to those daemons.
 */
describe.skipIf(!hasDocker || sandboxImageMissing() || missing !== null)(
  'sandboxes on a remote engine (TLS over TCP, SSH)',
  { tags: ['docker', 'sandbox-image'] },
  () => {
    const owner = '424242';
    const friend = '7007';
    const session = `dm:telegram:${friend}`;
    const state = scratchDir('remote-engines');
    let tls: TlsDockerEngine;
    let ssh: SshEngineServer;
    let model: ScriptedModelServer;

    const engines: Record<'TLS' | 'SSH', () => EngineConfig> = {
      TLS: () => ({
        host: tls.tcpHost,
        tls: { ca: tls.certs.ca, cert: tls.certs.cert, key: tls.certs.key, verify: true },
        insecure: false,
      }),
      SSH: () => ({
        host: ssh.host,
        ssh: { identityFile: ssh.identityFile, knownHosts: ssh.knownHosts },
        insecure: false,
      }),
    };
    const configFor = (engine: EngineConfig) => ({
      owner: { telegram: [owner] },
      telegram: { allowFrom: [friend] },
      limits: { sender: { messagesPerMinute: null } },
      agent: {
        model: {
          provider: 'openai' as const,
          name: 'attacker',
          baseUrl: model.baseUrlFor('openai'),
        },
        tools: { timeoutSec: 30 },
        sandbox: { engine },
      },
    });

    beforeAll(async () => {
      const local = testDockerClient(0);
      await ensureSandboxImage(local);
      tls = await startTlsDockerEngine();
      await tls.engine.copyImageFrom(local, DEFAULT_SANDBOX_IMAGE);
      ssh = await startSshEngineServer(tls.engine.host);
      model = await startScriptedModelServer(obeyingAttacker());
    }, SANDBOX_IMAGE_BUILD_TIMEOUT_MS);

    afterAll(async () => {
      closeEngineConnections();
      await model?.close();
      await ssh?.stop();
      await tls?.stop();
      state.remove();
    });

    describe.each(['TLS', 'SSH'] as const)('over %s', (name) => {
      const stateDir = (): string => join(state.dir, name);

      it("a friend's tool call runs in a container on that engine, not the local one, and its workspace reads back through the engine", async () => {
        const engine = engines[name]();
        const loginsBefore = ssh.logins();
        const gateway = await startAgentGateway({
          stateDir: stateDir(),
          config: configFor(engine),
          env: { PATH: process.env['PATH'] },
        });
        let reply: string;
        try {
          reply = (
            await gateway.telegramDm(
              friend,
              `run: echo written-over-${name} > /workspace/note.txt; echo "ran-as=$(id -u)"`,
            )
          ).join('\n');
        } finally {
          await gateway.stop();
        }
        expect(reply).toMatch(/ran-as=[1-9]\d*/);
        // Over SSH, the whole tool call (a dozen API calls) went over one connection: one login.
        expect(ssh.logins() - loginsBefore).toBe(name === 'SSH' ? 1 : 0);
        const installation = installationId(stateDir());
        const ours = { label: [SANDBOX_LABEL_FILTER, `${INSTALLATION_LABEL}=${installation}`] };
        const remote = await tls.engine.docker.listContainers({ all: true, filters: ours });
        expect(remote.map((c) => c.Labels['clawdbot.sessionKey'])).toEqual([session]);
        const local = await testDockerClient().listContainers({ all: true, filters: ours });
        expect(local).toEqual([]);
        // The workspace is a volume of the remote engine: its host cannot see our paths.
        const { Volumes } = await tls.engine.docker.listVolumes();
        expect(Volumes.map((v) => v.Name)).toContainEqual(expect.stringMatching(/^clawdbot-ws-/));
        const manager = new SandboxManager({
          stateDir: stateDir(),
          config: { engine },
          log: sandboxTestLog,
        });
        expect((await manager.readWorkspaceFile(session, 'note.txt')).toString('utf8')).toBe(
          `written-over-${name}\n`,
        );
        // The Sandboxes view's reader: by the container's name, through that engine.
        const shown = await manager.readSandboxFile(
          remote[0]!.Names[0]!.replace(/^\//, ''),
          'note.txt',
          MAX_UI_FILE_BYTES,
        );
        expect(shown?.toString('utf8')).toBe(`written-over-${name}\n`);
      });

      it('`clawdbot status --json` names the engine and its transport, and `clawdbot kill` removes its sandbox there', async () => {
        const env = { CLAWDBOT_STATE_DIR: stateDir() };
        const status = await runCli(['status', '--json'], env);
        expect(status.stderr).toBe('');
        const { sandboxEngine } = JSON.parse(status.stdout) as StatusJson;
        expect(sandboxEngine.error).toBeUndefined();
        expect(sandboxEngine).toMatchObject({
          reachable: true,
          address: {
            endpoint: name === 'TLS' ? tls.tcpHost : `ssh://root@127.0.0.1:${ssh.port}`,
            source: 'config',
            tls: name === 'TLS' ? 'verified' : 'not-applicable',
            remote: true,
          },
          image: { present: true },
          sandboxes: 1,
        });
        const doctor = await runCli(['doctor', '--json'], env, 60_000);
        const engineCheck = (
          JSON.parse(doctor.stdout) as { checks: { id: string; status: string; summary: string }[] }
        ).checks.find((c) => c.id === 'docker.engine');
        expect(engineCheck?.status).toBe('ok');
        expect(engineCheck?.summary).toContain(
          name === 'TLS'
            ? `at ${tls.tcpHost} (TLS, verified); 1 sandbox of this installation`
            : `at ssh://root@127.0.0.1:${ssh.port}; 1 sandbox of this installation`,
        );
        const kill = await runCli(['kill', '--json', '--wait', '0'], env);
        expect(kill.stderr).toBe('');
        expect(kill.code).toBe(0);
        const report = JSON.parse(kill.stdout) as KillReport;
        expect(report.sandboxes.dockerReachable).toBe(true);
        expect(report.sandboxes.containers.map((c) => c.sessionKey)).toEqual([session]);
        const installation = installationId(stateDir());
        expect(
          await tls.engine.docker.listContainers({
            all: true,
            filters: { label: [`${INSTALLATION_LABEL}=${installation}`] },
          }),
        ).toEqual([]);
      });
    });

    it('after the engine changes, the kill switch still reaches the one used before, reports it apart, and fails when one does not answer', async () => {
      const stateDir = join(state.dir, 'switched');
      // Sandboxes made on the TLS engine, which the state directory recorded.
      const tlsSetting = engines.TLS();
      recordEngineUse(stateDir, resolveEngine(tlsSetting));
      const installation = installationId(stateDir);
      const ids = await tls.engine.startSandboxes(2, `switched-${Date.now()}`, {
        installationId: installation,
      });
      // Now the config names another engine: this test's own default one (DOCKER_HOST).
      writeConfig(stateDir, {});
      const kill = await runCli(['kill', '--json', '--wait', '0'], {
        CLAWDBOT_STATE_DIR: stateDir,
      });
      expect(kill.stderr).toBe('');
      expect(kill.code).toBe(0);
      const report = JSON.parse(kill.stdout) as KillReport;
      // DOCKER_HOST when the run names an engine (a private one), else the local socket (CI).
      expect(report.sandboxes.endpoint).toBe(
        process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock',
      );
      expect(report.otherEngines).toHaveLength(1);
      expect(report.otherEngines[0]).toMatchObject({
        endpoint: tls.tcpHost,
        dockerReachable: true,
      });
      expect(report.otherEngines[0]?.containers.map((c) => c.id).sort()).toEqual([...ids].sort());
      expect(report.otherEngines[0]?.removedMs).not.toBeNull();
      expect(await tls.engine.labelledContainers()).not.toContainEqual(ids[0]);
      // An engine used before that does not answer: the kill says so and exits non-zero.
      recordEngineUse(stateDir, resolveEngine({ host: 'tcp://127.0.0.1:1', insecure: true }));
      const again = await runCli(['kill', '--json', '--wait', '0'], {
        CLAWDBOT_STATE_DIR: stateDir,
      });
      expect(again.code).toBe(2);
      const second = JSON.parse(again.stdout) as KillReport;
      expect(second.otherEngines.map((e) => [e.endpoint, e.dockerReachable])).toEqual([
        [tls.tcpHost, true],
        ['tcp://127.0.0.1:1', false],
      ]);
      expect(again.stderr).toMatch(/sandbox containers may remain on tcp:\/\/127\.0\.0\.1:1 \(/);
    });

    it('refuses an engine whose certificate another CA signed, naming why, and runs nothing', async () => {
      const other = makeCertificates(join(state.dir, 'other-ca'), 'not-the-engines-ca');
      const manager = new SandboxManager({
        stateDir: join(state.dir, 'wrong-ca'),
        config: {
          engine: {
            host: tls.tcpHost,
            tls: { ca: other.ca, cert: tls.certs.cert, key: tls.certs.key },
          },
        },
        log: sandboxTestLog,
      });
      const error = await manager.exec(session, 'echo ran').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SandboxUnavailableError);
      expect((error as Error).message).toContain(tls.tcpHost.slice('tcp://'.length));
      expect((error as Error).message).toMatch(
        /TLS certificate was refused \(.*\): it must be signed by the CA given \(agent\.sandbox\.engine\.tls\.ca/,
      );
    });

    it('refuses an SSH host whose key is unknown or differs from known_hosts, naming the host and the file', async () => {
      const unknown = join(state.dir, 'known_hosts.empty');
      writeFileSync(unknown, '');
      const attempt = async (knownHosts: string): Promise<Error> => {
        const manager = new SandboxManager({
          stateDir: join(state.dir, 'ssh-refused'),
          config: {
            engine: { host: ssh.host, ssh: { identityFile: ssh.identityFile, knownHosts } },
          },
          log: sandboxTestLog,
        });
        const error = await manager.exec(session, 'echo ran').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SandboxUnavailableError);
        return error as Error;
      };
      expect((await attempt(unknown)).message).toMatch(
        new RegExp(
          `SSH host key of ssh://root@127\\.0\\.0\\.1:${ssh.port} is unknown: 127\\.0\\.0\\.1 \\(port ${ssh.port}\\) is not in ${unknown.replace(/\./g, '\\.')}`,
        ),
      );
      const impostor = join(state.dir, 'known_hosts.other');
      // A real ed25519 key, but not this server's.
      writeFileSync(
        impostor,
        `[127.0.0.1]:${ssh.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n`,
      );
      expect((await attempt(impostor)).message).toMatch(
        /SSH host key of ssh:\/\/root@127\.0\.0\.1:\d+ does not match the key .*known_hosts\.other holds/,
      );
    });

    it('DOCKER_HOST with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH reaches the TLS engine when none is configured', async () => {
      const status = await runCli(['status', '--json'], {
        CLAWDBOT_STATE_DIR: join(state.dir, 'from-env'),
        DOCKER_HOST: tls.tcpHost,
        DOCKER_TLS_VERIFY: '1',
        DOCKER_CERT_PATH: tls.certPath,
      });
      expect(status.stderr).toBe('');
      const { sandboxEngine } = JSON.parse(status.stdout) as StatusJson;
      expect(sandboxEngine.error).toBeUndefined();
      expect(sandboxEngine).toMatchObject({
        reachable: true,
        address: { endpoint: tls.tcpHost, source: 'environment', tls: 'verified' },
        image: { present: true },
      });
    });
  },
);
