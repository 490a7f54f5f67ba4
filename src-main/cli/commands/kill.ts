import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  DEFAULT_KILL_REASON,
  MAX_KILL_REASON_LENGTH,
  describeSweep,
  engineMayHoldSandboxes,
  type KillReport,
  type SandboxSweep,
} from '../../../src-shared/domain/kill-switch.js';
import { isSameProcess } from '../../process/process-identity.js';
import type { RuntimeRepo } from '../../store/runtime-repo.js';
import { type KillEngine, connectKillEngine } from '../../docker/kill-engine.js';
import { killTargets, otherKillEngines } from '../../docker/engine-record.js';
import { resolveEngine } from '../../docker/engine-target.js';
import { type SandboxReach, installationReach } from '../../docker/sandbox-labels.js';
import { describeError } from '../../../src-shared/errors/describe-error.js';
import { engageKillSwitch } from '../../supervisor/kill-switch.js';
import { closeOpenToolCalls } from '../../store/open-tool-calls.js';
import { sweepAfterAttempt, sweepSandboxContainers } from '../../supervisor/sandbox-reaper.js';
import { CliError } from '../cli-error.js';
import { formatKillReport } from '../format.js';
import { withCliStore } from '../open-store.js';
import type { CliContext } from '../cli-context.js';

/** `clawdbot kill`'s exit code when the switch is engaged but sandbox containers may remain. */
export const EXIT_SANDBOXES_MAY_REMAIN = 2;

/** How long `clawdbot kill` keeps retrying an engine that does not answer, with no supervisor. */
export const DEFAULT_KILL_WAIT_SECONDS = 30;

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds > 3600) {
    throw new InvalidArgumentError('expected a whole number of seconds from 0 to 3600');
  }
  return seconds;
}

/** The supervisor process running now, if any (hung or not: it keeps sweeping if it can). */
function runningSupervisorPid(runtime: RuntimeRepo): number | null {
  const record = runtime.readSupervisor();
  return record && isSameProcess(record.pid, record.identity) ? record.pid : null;
}

/**
 * `clawdbot kill [--reason TEXT] [--wait SECONDS] [--all-installations] [--json]`: engages the
 * kill switch straight through the database and the Docker API, so it works with no supervisor
 * running and when the desktop app is hung. It removes this installation's sandboxes (and legacy
 * ones without an installation label); `--all-installations`, every Clawdbot sandbox on the engine. Exit 0 only when every gateway found is dead and the engine has listed no
 * sandbox container; 2 when containers may remain (the engine did not answer, a removal failed);
 * 1 when a gateway could not be killed or the switch could not be saved.
 */
export function registerKillCommand(program: Command, context: CliContext): void {
  program
    .command('kill')
    .description(
      "engage the kill switch: kill the gateway and this installation's sandbox containers now",
    )
    .option('--reason <text>', 'why (kept in the incident trail)')
    .option(
      '--wait <seconds>',
      `with no supervisor running, how long to keep retrying a Docker engine that does not answer`,
      parseSeconds,
      DEFAULT_KILL_WAIT_SECONDS,
    )
    .option(
      '--all-installations',
      'remove every Clawdbot sandbox on the engine, those of other state directories too',
    )
    .option('--json', 'print the report as JSON')
    .action(
      (options: { reason?: string; json?: boolean; wait: number; allInstallations?: boolean }) => {
        const reason = options.reason?.trim() || DEFAULT_KILL_REASON;
        if (reason.length > MAX_KILL_REASON_LENGTH) {
          throw new CliError(
            `--reason is too long (${reason.length} characters; at most ${MAX_KILL_REASON_LENGTH})`,
          );
        }
        return withCliStore(context, async ({ db, killSwitch, runtime, stateDir }) => {
          // The engine in force, and every engine this installation made sandboxes on before.
          const targets = killTargets(
            () =>
              resolveEngine(context.config().current().config.agent.sandbox.engine, context.env),
            stateDir,
            context.env,
            (error) =>
              process.stderr.write(
                `warning: ${describeError(error)}; only the engine in force is reached\n`,
              ),
          );
          const [first] = targets;
          const docker =
            first && 'target' in first
              ? connectKillEngine(first.target)
              : Promise.reject<KillEngine>(new Error(first?.error ?? 'no engine'));
          // Not unhandled while the gateway is killed first: the kill reports it.
          if (docker instanceof Promise) docker.catch(() => undefined);
          const others = otherKillEngines(targets);
          for (const other of others) other.docker.catch(() => undefined);
          const reach: SandboxReach = options.allInstallations
            ? { kind: 'all-installations' }
            : installationReach(stateDir, (error) =>
                process.stderr.write(
                  `warning: ${describeError(error)}; removing every Clawdbot sandbox on the engine instead\n`,
                ),
              );
          const report = await engageKillSwitch(
            {
              killSwitch,
              runtime,
              stateDir,
              docker,
              reach,
              closeToolCalls: (status, at) => closeOpenToolCalls(db, status, at),
              ...(first && {
                engine: {
                  endpoint: first.endpoint,
                  remote: 'target' in first && first.target.remote,
                },
              }),
              otherEngines: others,
            },
            reason,
            'cli',
          );
          if (!options.json) process.stdout.write(`${formatKillReport(report)}\n`);
          let sweep = sweepAfterAttempt(
            report.sandboxes,
            report.engagedAt,
            report.engagedAt + report.durationMs,
          );
          const supervisorPid = runningSupervisorPid(runtime);
          if (sweep.state === 'may-remain' && supervisorPid === null && options.wait > 0) {
            if (!options.json) {
              process.stdout.write(
                `sandboxes: ${sweep.error}; retrying for up to ${options.wait} s (Ctrl-C stops waiting; the switch stays engaged)\n`,
              );
            }
            sweep = await sweepSandboxContainers(docker, {
              reach,
              deadline: Date.now() + options.wait * 1000,
              onProgress: (progress) => {
                if (report.persistError === null)
                  killSwitch.recordSweep(report.engagedAt, progress);
              },
            });
            if (!options.json) process.stdout.write(`sandboxes: ${describeSweep(sweep)}\n`);
          }
          if (options.json) process.stdout.write(`${JSON.stringify({ ...report, sweep })}\n`);
          const failure = killFailure(report, sweep, supervisorPid, options.wait);
          if (failure) throw new CliError(failure.message, failure.exitCode);
        });
      },
    );
}

/** The one line (and exit code) that says what may still be running, or null when nothing is. */
function killFailure(
  report: KillReport,
  sweep: SandboxSweep,
  supervisorPid: number | null,
  waited: number,
): { message: string; exitCode: number } | null {
  if (report.gateway.error || report.persistError) {
    return {
      message: 'the kill switch is engaged, but not everything could be killed (see above)',
      exitCode: 1,
    };
  }
  const unreached = report.otherEngines.filter(engineMayHoldSandboxes);
  if (sweep.state === 'clear' && unreached.length === 0) return null;
  if (sweep.state === 'clear') {
    return {
      message: `the gateway is killed, but sandbox containers may remain on ${unreached.map((e) => `${e.endpoint ?? 'an engine used before'} (${e.error ?? 'a removal failed'})`).join(', ')}: run \`clawdbot kill\` again once it answers`,
      exitCode: EXIT_SANDBOXES_MAY_REMAIN,
    };
  }
  const who =
    supervisorPid !== null
      ? `the supervisor (pid ${supervisorPid}) keeps removing them while the switch is engaged; \`clawdbot status\` says when none remain`
      : `nothing is retrying now${waited > 0 ? ` (retried for ${waited} s)` : ''}: run \`clawdbot kill\` again once Docker answers, or start the supervisor, which keeps removing them`;
  return {
    message: `the gateway is killed, but sandbox containers may remain${sweep.stoppedAt === null ? '' : ' (every process in them frozen or dead)'} (${sweep.error ?? 'unconfirmed'}); ${who}`,
    exitCode: EXIT_SANDBOXES_MAY_REMAIN,
  };
}
