import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCheck } from '../doctor-context.js';

/** The oldest Node `package.json`'s `engines` names (`>=20.19` → [20, 19, 0]), or null. */
export function requiredNode(appRoot: string): number[] | null {
  try {
    const pkg = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as {
      engines?: { node?: string };
    };
    const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(pkg.engines?.node?.trim() ?? '');
    return match ? [1, 2, 3].map((i) => Number(match[i] ?? 0)) : null;
  } catch {
    return null;
  }
}

/** Whether version `a` is older than `b` ([major, minor, patch]). */
function older(a: number[], b: number[]): boolean {
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return false;
}

/** The Node.js running Clawdbot, against what `package.json` says it needs. */
export const checkNodeVersion = defineCheck('node.version', 'Node.js', (context, _facts, o) => {
  const running = process.versions.node;
  if (process.versions['electron']) {
    return o.ok(`${running}, inside Electron ${process.versions['electron']}`);
  }
  const required = requiredNode(context.appRoot);
  if (!required) return o.ok(running);
  const needs = required.join('.');
  if (older(running.split('.').map(Number), required)) {
    return o.error(
      `${running} is older than ${needs}, which Clawdbot needs`,
      `install Node.js ${needs} or newer (https://nodejs.org/ or your system's packages), then run \`npm rebuild\``,
    );
  }
  return o.ok(`${running} (Clawdbot needs ${needs} or newer)`);
});
