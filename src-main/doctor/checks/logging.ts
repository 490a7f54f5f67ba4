import { dirname } from 'node:path';
import { logFileForDay } from '../../logging/log-paths.js';
import { defineCheck } from '../doctor-context.js';

/** The log directory: usable where configured, or the fallback in use, or no log at all. */
export const checkLogging = defineCheck('logging', 'Logs', (_context, facts, o) => {
  const { pattern, fallback, error } = facts.files.logs;
  const today = logFileForDay(pattern, new Date());
  if (!fallback) return o.ok(`today's log: ${today}`);
  const configuredDir = dirname(fallback.configured);
  const fix = `find out who made ${configuredDir} and why and remove it, or set logging.file to a file in a directory only you can write (e.g. ${pattern})`;
  if (error) {
    return o.error(
      `no log is being written: ${fallback.reason}, and the fallback failed too (${error})`,
      fix,
    );
  }
  return o.warning(
    `logs go to ${dirname(today)} instead of ${configuredDir}: ${fallback.reason}`,
    fix,
  );
});
