/**
 * Sandbox engines benchmark: `npm run bench:engines` (or `npx tsx bench/engines.ts`).
 *
 * A friend's warm tool call (`SandboxManager.exec(session, 'echo hi')`, the path the bash tool
 * takes) on each engine — the local one (unix socket: `DOCKER_HOST` or /var/run/docker.sock), a
 * private `dockerd` over TLS on 127.0.0.1, and the same engine over SSH (an `sshd` on loopback,
 * `docker system dial-stdio` in its sessions) — beside `docker exec <container> echo hi` through
 * the docker CLI against the same engine, in the same run, interleaved run by run. Target (issue
 * 13): the tool call at most 0.9× the CLI on every engine. Over SSH the bench also counts the
 * SSH logins the tool calls made (one connection reused: 1) and the CLI's (one per command).
 *
 * Every figure is the median of BENCH_RUNS timed runs (default 15, at least 9) after one
 * discarded warm-up. Needs root (a private dockerd and sshd), openssl and openssh-server, and
 * the sandbox image on the local engine. The results replace this bench's section of
 * bench/RESULTS.md (between the engines markers); BENCH_NO_WRITE=1 prints only.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { EngineConfig } from '../src-shared/config/engine-schema.js';
import { DEFAULT_SANDBOX_IMAGE } from '../src-shared/config/sandbox-schema.js';
import { dockerSocketOptions } from '../src-main/docker/docker-client.js';
import { SandboxManager } from '../src-main/sandbox/sandbox-manager.js';
import { createLogger } from '../src-main/logging/logger.js';
import { closeEngineConnections } from '../src-main/docker/engine-target.js';
import { startSshEngineServer, startTlsDockerEngine } from '../test/helpers/remote-engines.js';
import { formatMs, formatRatio } from './lib/format.js';
import { describeMachine, RunRecord } from './lib/machine.js';
import { figures, publishReport, type Figure, type Target } from './lib/report.js';
import { median } from './lib/stats.js';

const RUNS = Math.max(9, Number(process.env['BENCH_RUNS'] ?? 15));
const TARGET_RATIO = 0.9;
const SESSION = `dm:bench:engines-${process.pid}`;

interface EngineUnderTest {
  name: string;
  engine: EngineConfig | undefined;
  /** The docker CLI's arguments and environment for the same engine. */
  cli: { args: string[]; env: NodeJS.ProcessEnv };
}

function timeCli(cli: EngineUnderTest['cli'], container: string): number {
  const started = performance.now();
  const result = spawnSync('docker', [...cli.args, 'exec', container, 'echo', 'hi'], {
    env: { ...process.env, ...cli.env },
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  if (result.status !== 0 || result.stdout.trim() !== 'hi') {
    throw new Error(`docker exec failed: ${result.stderr.trim() || `exit ${result.status}`}`);
  }
  return ms;
}

async function timeTool(manager: SandboxManager): Promise<number> {
  const started = performance.now();
  const result = await manager.exec(SESSION, 'echo hi');
  const ms = performance.now() - started;
  if (result.exitCode !== 0 || result.stdout.trim() !== 'hi') {
    throw new Error(`the tool call failed: exit ${String(result.exitCode)}`);
  }
  return ms;
}

async function main(): Promise<void> {
  const local = new Docker({ ...dockerSocketOptions(), timeout: 0 });
  await local
    .getImage(DEFAULT_SANDBOX_IMAGE)
    .inspect()
    .catch(() => {
      throw new Error(`${DEFAULT_SANDBOX_IMAGE} is missing on the local engine: build it first`);
    });
  const run = new RunRecord(describeMachine(`Docker Engine ${(await local.version()).Version}`));
  console.log(`engines bench: ${RUNS} timed runs + 1 warm-up per figure`);
  console.log(run.describe());

  const scratch = mkdtempSync(join(tmpdir(), 'cb-bench-engines-'));
  const tls = await startTlsDockerEngine();
  const ssh = await startSshEngineServer(tls.engine.host);
  try {
    await tls.engine.copyImageFrom(local, DEFAULT_SANDBOX_IMAGE);
    // The CLI reaches the SSH engine through `ssh`, which reads its config from the passwd
    // home (not $HOME): an `ssh` of the bench's own, first on PATH, passes `-F` with the key and
    // known_hosts (the user's ~/.ssh is left alone).
    const bin = join(scratch, 'bin');
    mkdirSync(bin, { recursive: true });
    const sshConfig = join(scratch, 'ssh_config');
    writeFileSync(
      sshConfig,
      `Host 127.0.0.1\n  IdentityFile ${ssh.identityFile}\n  UserKnownHostsFile ${ssh.knownHosts}\n  StrictHostKeyChecking yes\n`,
      { mode: 0o600 },
    );
    writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${sshConfig} "$@"\n`, {
      mode: 0o755,
    });
    const localHost = process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock';
    const engines: EngineUnderTest[] = [
      { name: 'local (unix socket)', engine: undefined, cli: { args: [], env: {} } },
      {
        name: 'TLS over TCP (loopback)',
        engine: {
          host: tls.tcpHost,
          tls: { ca: tls.certs.ca, cert: tls.certs.cert, key: tls.certs.key, verify: true },
          insecure: false,
        },
        cli: {
          args: [],
          env: { DOCKER_HOST: tls.tcpHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tls.certPath },
        },
      },
      {
        name: 'SSH (loopback)',
        engine: {
          host: ssh.host,
          ssh: { identityFile: ssh.identityFile, knownHosts: ssh.knownHosts },
          insecure: false,
        },
        cli: {
          args: [],
          env: { DOCKER_HOST: ssh.host, PATH: `${bin}:${process.env['PATH'] ?? ''}` },
        },
      },
    ];
    console.log(`local engine: ${localHost}`);
    const rows: Figure[] = [];
    const targets: Target[] = [];
    let sshLogins = { tool: 0, cli: 0 };
    for (const e of engines) {
      const manager = new SandboxManager({
        stateDir: join(scratch, `state-${rows.length}`),
        config: e.engine ? { engine: e.engine } : {},
        log: createLogger({ process: 'bench', scope: 'sandbox' }),
      });
      const handle = await manager.ensure(SESSION);
      const tool: number[] = [];
      const cli: number[] = [];
      const loginsBefore = ssh.logins();
      // One warm-up of each (discarded), then interleaved, alternating which goes first.
      await timeTool(manager);
      timeCli(e.cli, handle.name);
      const afterWarmUp = ssh.logins();
      for (let i = 0; i < RUNS; i++) {
        if (i % 2 === 0) {
          tool.push(await timeTool(manager));
          cli.push(timeCli(e.cli, handle.name));
        } else {
          cli.push(timeCli(e.cli, handle.name));
          tool.push(await timeTool(manager));
        }
      }
      if (e.name.startsWith('SSH')) {
        // The tool calls reuse the connection made at ensure/warm-up; each CLI command logs in.
        sshLogins = { tool: afterWarmUp - loginsBefore - 1, cli: ssh.logins() - afterWarmUp };
      }
      const ratio = median(tool) / median(cli);
      console.log(
        `${e.name}: tool call ${formatMs(median(tool))}, docker exec ${formatMs(median(cli))}, ratio ${formatRatio(ratio)}`,
      );
      rows.push(
        ...figures(formatMs, [
          [`${e.name}: tool call (SandboxManager.exec, echo hi)`, tool],
          [`${e.name}: docker exec (CLI)`, cli],
        ]),
      );
      targets.push({
        target: `${e.name}: tool call ≤ ${TARGET_RATIO}× docker exec`,
        measured: formatRatio(ratio),
        pass: ratio <= TARGET_RATIO,
      });
      await manager.stop(handle.name).catch(() => false);
    }
    targets.push({
      target: 'SSH: logins during the timed tool calls (one connection reused)',
      measured: String(Math.max(0, sshLogins.tool)),
      pass: sshLogins.tool <= 0,
    });
    targets.push({
      target: `SSH: logins during the CLI's ${RUNS + 1} commands (for comparison)`,
      measured: String(sshLogins.cli),
      pass: null,
    });
    publishReport({
      name: 'engines',
      run: run.finish(),
      intro: [
        `A warm tool call (\`echo hi\` through \`SandboxManager.exec\`, the bash tool's path) beside \`docker exec <container> echo hi\` through the docker CLI against the same engine, ${RUNS} timed runs each after one warm-up, interleaved. The TLS engine is a private dockerd on 127.0.0.1 (certificates made by openssl); the SSH engine is the same dockerd through an sshd on loopback (\`docker system dial-stdio\`, as the CLI uses).`,
      ],
      blocks: [{ figures: rows }, { targets }],
    });
  } finally {
    closeEngineConnections();
    await ssh.stop();
    await tls.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
