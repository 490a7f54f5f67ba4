import type { Database } from 'better-sqlite3';
import {
  countBySeverity,
  FINDING_SEVERITIES,
  sortFindings,
  type Finding,
} from '../../../src-shared/domain/audit.js';
import { runAudit, runSafeFixes } from '../../audit/audit-service.js';
import { RUNTIME_FINDING_IDS } from '../../audit/run-checks.js';
import { openExistingDatabase } from '../../store/open-database.js';
import { createRuntimeRepo } from '../../store/runtime-repo.js';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { callSupervisor, liveSupervisor } from '../control-client.js';
import { printable } from '../table.js';
import { describeError } from '../../../src-shared/errors/describe-error.js';

/**
 * The running supervisor's socket, read without `openDatabase`: that would create the state
 * directory and chmod it, quietly fixing what the audit is about to report.
 */
function supervisorSocket(stateDir: string): string | null {
  let db: Database | null = null;
  try {
    db = openExistingDatabase(stateDir);
    return db ? (liveSupervisor(createRuntimeRepo(db))?.socketPath ?? null) : null;
  } catch {
    // A database that cannot be read names no supervisor to ask: the audit then reports what
    // it finds on disk, as with no supervisor running.
    return null;
  } finally {
    db?.close();
  }
}

/**
 * What only a running supervisor knows (its web mode's bind address, the desktop app's
 * safeStorage backend), asked over its control socket. No supervisor: nothing of it is running.
 */
async function runtimeFindings(stateDir: string): Promise<Finding[]> {
  const socket = supervisorSocket(stateDir);
  if (!socket) return [];
  try {
    const report = await callSupervisor(socket, 'security:audit', {}, 10_000);
    return report.findings.filter((f) => RUNTIME_FINDING_IDS.includes(f.id));
  } catch (error) {
    return [
      {
        id: 'supervisor.unchecked',
        severity: 'info',
        title: 'the running supervisor was not asked',
        meaning: `Its web mode address and keyring backend could not be checked: ${describeError(error)}.`,
        fix: 'Run the audit again once `clawdbot status` shows the supervisor answering.',
        fixable: false,
      },
    ];
  }
}

function formatFinding(finding: Finding): string {
  const where = finding.path ? ` (${finding.path})` : '';
  return [
    `${finding.severity.toUpperCase().padEnd(6)} ${finding.id}: ${finding.title}${where}`,
    `       means: ${finding.meaning}`,
    `       fix:   ${finding.fix}${finding.fixable ? ' [--fix does this]' : ''}`,
  ]
    .map(printable)
    .join('\n');
}

function summary(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings';
  const counts = countBySeverity(findings);
  const parts = FINDING_SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** `security audit`: prints the findings (and with `fix`, the changes first). */
export async function securityAudit(
  context: CliContext,
  options: { json: boolean; fix: boolean },
): Promise<void> {
  const { stateDir, env } = context;
  // The audit reads the config file as it is on disk (its mode, any secret written in it).
  const collect = { stateDir, configPath: context.config().current().path, env };
  const result = options.fix
    ? await runSafeFixes(collect)
    : { findings: (await runAudit(collect)).findings, changes: undefined };
  const findings = sortFindings([...result.findings, ...(await runtimeFindings(stateDir))]);

  if (options.json) {
    const out = result.changes === undefined ? { findings } : { findings, changes: result.changes };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    const lines: string[] = [];
    if (result.changes !== undefined) {
      lines.push(
        result.changes.length === 0
          ? 'nothing to fix safely'
          : ['changed:', ...result.changes.map((c) => `  ${printable(c)}`)].join('\n'),
        '',
      );
    }
    lines.push(...findings.map(formatFinding));
    if (findings.some((f) => f.fixable)) lines.push('', 'run with --fix to apply the safe fixes');
    lines.push(summary(findings));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  const high = findings.filter((f) => f.severity === 'high').length;
  if (high > 0) {
    throw new CliError(`${high} high-severity finding${high === 1 ? ' remains' : 's remain'}`);
  }
}
