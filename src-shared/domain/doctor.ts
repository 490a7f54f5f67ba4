import { z } from 'zod';

/**
 * How one `clawdbot doctor` check came out, worst first. `error` and `warning` are problems
 * (the command exits non-zero while one remains); `info` is worth knowing but nothing is wrong
 * (Chromium for the tests, an unlinked WhatsApp nobody asked for); `ok` is fine.
 */
export const DOCTOR_STATUSES = ['error', 'warning', 'info', 'ok'] as const;
/** How a check came out. */
export const DoctorStatusSchema = z.enum(DOCTOR_STATUSES);
/** How a check came out. */
export type DoctorStatus = z.infer<typeof DoctorStatusSchema>;

/** One thing `clawdbot doctor` (and the dashboard's set-up card) looked at. */
export const DoctorCheckSchema = z.object({
  /** Stable across releases (`docker.engine`); scripts match on it. */
  id: z.string(),
  /** What was looked at, as a person names it ("Docker engine"). */
  title: z.string(),
  status: DoctorStatusSchema,
  /** What was found, in one line ("20.10.24 at /var/run/docker.sock"). */
  summary: z.string(),
  /** The exact fix, when there is something to do; null when there is nothing. */
  fix: z.string().nullable(),
  /** Whether `clawdbot doctor --fix` does the fix (only safe ones: modes, images, migrations). */
  fixable: z.boolean(),
});
/** One check's outcome. */
export type DoctorCheck = z.infer<typeof DoctorCheckSchema>;

/** Every check, in the order a newcomer meets them. */
export const DoctorReportSchema = z.object({
  checks: z.array(DoctorCheckSchema),
  /** When the checks ran (ms since the epoch). */
  checkedAt: z.number(),
});
/** Every check's outcome. */
export type DoctorReport = z.infer<typeof DoctorReportSchema>;

/** The checks that are problems (errors and warnings), worst first. */
export function doctorProblems(checks: readonly DoctorCheck[]): DoctorCheck[] {
  return checks
    .filter((check) => check.status === 'error' || check.status === 'warning')
    .sort((a, b) => DOCTOR_STATUSES.indexOf(a.status) - DOCTOR_STATUSES.indexOf(b.status));
}
