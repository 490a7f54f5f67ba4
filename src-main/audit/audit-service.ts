import type { AuditFixResult, AuditReport } from '../../src-shared/domain/audit.js';
import { collectAuditInput, type CollectOptions } from './collect-input.js';
import { applySafeFixes } from './fix.js';
import { runChecks } from './run-checks.js';

/** Gathers the facts and runs every check. */
export async function runAudit(options: CollectOptions): Promise<AuditReport> {
  const input = await collectAuditInput(options);
  return { findings: runChecks(input), checkedAt: Date.now() };
}

/** Applies the safe fixes, then audits again: the findings are what is left. */
export async function runSafeFixes(options: CollectOptions): Promise<AuditFixResult> {
  // Docker plays no part in what gets fixed; it is asked once, by the audit afterwards.
  const changes = applySafeFixes(await collectAuditInput({ ...options, docker: false }));
  const after = await runAudit(options);
  return { changes, findings: after.findings };
}
