import {
  doctorProblems,
  type DoctorCheck,
  type DoctorReport,
} from '../../../src-shared/domain/doctor.js';
import type { DoctorContext } from '../../doctor/doctor-context.js';
import { applyDoctorFixes } from '../../doctor/doctor-fix.js';
import { runDoctor } from '../../doctor/run-doctor.js';
import { appRootPath } from '../../paths.js';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { printable } from '../table.js';

const LABEL: Record<DoctorCheck['status'], string> = {
  error: 'ERROR',
  warning: 'WARN',
  info: 'info',
  ok: 'ok',
};

/** The report as a person reads it: one line per check, the fix under each one that has one. */
export function formatDoctorReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.title.length));
  const lines = report.checks.flatMap((check) => [
    printable(`${LABEL[check.status].padEnd(6)} ${check.title.padEnd(width)}  ${check.summary}`),
    ...(check.fix
      ? [
          printable(
            `${' '.repeat(width + 9)}fix: ${check.fix}${check.fixable ? ' [--fix does this]' : ''}`,
          ),
        ]
      : []),
  ]);
  const problems = doctorProblems(report.checks);
  const fixable = problems.filter((c) => c.fixable).length;
  lines.push(
    '',
    problems.length === 0
      ? 'Nothing is wrong.'
      : `${problems.length} problem${problems.length === 1 ? '' : 's'}${fixable > 0 ? `; \`clawdbot doctor --fix\` fixes ${fixable}` : ''}.`,
  );
  return lines.join('\n');
}

/** `clawdbot doctor`: with `fix`, the safe fixes first (progress on stderr), then the report. */
export async function doctor(
  cli: CliContext,
  options: { json: boolean; fix: boolean },
): Promise<void> {
  const context: DoctorContext = {
    stateDir: cli.stateDir,
    configPath: cli.configPath,
    env: cli.env,
    appRoot: appRootPath(),
  };
  const changes = options.fix
    ? await applyDoctorFixes(context, (line) => process.stderr.write(`${printable(line)}\n`))
    : undefined;
  const report = await runDoctor(context);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(changes ? { ...report, changes } : report)}\n`);
  } else {
    const done =
      changes === undefined
        ? []
        : changes.length === 0
          ? ['Nothing to fix safely.', '']
          : ['Changed:', ...changes.map((c) => `  ${printable(c)}`), ''];
    process.stdout.write(`${[...done, formatDoctorReport(report)].join('\n')}\n`);
  }
  const problems = doctorProblems(report.checks).length;
  if (problems > 0) {
    throw new CliError(
      `${problems} problem${problems === 1 ? '' : 's'} found${options.json ? '' : ': each is listed above with its fix'}`,
    );
  }
}
