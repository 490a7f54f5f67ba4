import { z } from 'zod';

/** How bad a finding is, worst first. A `high` one left standing makes the audit exit non-zero. */
export const FINDING_SEVERITIES = ['high', 'medium', 'low', 'info'] as const;
/** A finding's severity. */
export const FindingSeveritySchema = z.enum(FINDING_SEVERITIES);
/** A finding's severity. */
export type FindingSeverity = z.infer<typeof FindingSeveritySchema>;

/** One thing the security audit found, worded for the owner who has to act on it. */
export const FindingSchema = z.object({
  /** The check that fired, stable across releases (e.g. `dm.open`); scripts match on it. */
  id: z.string(),
  severity: FindingSeveritySchema,
  title: z.string(),
  /** What it means, in one sentence. */
  meaning: z.string(),
  /** How to fix it. */
  fix: z.string(),
  /** Whether `clawdbot security audit --fix` (or the view's button) fixes it. */
  fixable: z.boolean(),
  /** The config key path (`telegram.groupPolicy`) or file the finding is about. */
  path: z.string().optional(),
});
/** One finding. */
export type Finding = z.infer<typeof FindingSchema>;

/** An audit's result. */
export const AuditReportSchema = z.object({
  findings: z.array(FindingSchema),
  /** When the audit ran (ms since the epoch). */
  checkedAt: z.number(),
});
/** An audit's result. */
export type AuditReport = z.infer<typeof AuditReportSchema>;

/** What a fix run did, and what is left afterwards. */
export const AuditFixResultSchema = z.object({
  /** One line per change made; empty when there was nothing safe to change. */
  changes: z.array(z.string()),
  findings: z.array(FindingSchema),
});
/** What a fix run did, and what is left afterwards. */
export type AuditFixResult = z.infer<typeof AuditFixResultSchema>;

/** How many findings there are of each severity. */
export function countBySeverity(findings: readonly Finding[]): Record<FindingSeverity, number> {
  const counts: Record<FindingSeverity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

/** Findings worst first, then by id and path, so output is stable between runs. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const rank = (f: Finding): number => FINDING_SEVERITIES.indexOf(f.severity);
  return [...findings].sort(
    (a, b) =>
      rank(a) - rank(b) || a.id.localeCompare(b.id) || (a.path ?? '').localeCompare(b.path ?? ''),
  );
}
