import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { defineCheck } from '../doctor-context.js';

/**
 * The Node.js versions `package.json`'s `engines` names (`^20.19.0 || ^22.13.0 || >=24`), or null
 * when it names none or a range npm's semver cannot read.
 */
function requiredNode(appRoot: string): string | null {
  try {
    const pkg = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as {
      engines?: { node?: string };
    };
    const range = pkg.engines?.node?.trim();
    return range && semver.validRange(range) ? range : null;
  } catch {
    return null;
  }
}

/** The Node.js running Clawdbot, against what `package.json` says it supports. */
export const checkNodeVersion = defineCheck('node.version', 'Node.js', (context, _facts, o) => {
  const running = process.versions.node;
  if (process.versions['electron']) {
    return o.ok(`${running}, inside Electron ${process.versions['electron']}`);
  }
  const range = requiredNode(context.appRoot);
  if (!range) return o.ok(running);
  // The same test npm applies to `engines`, so doctor and npm's EBADENGINE never disagree.
  if (!semver.satisfies(running, range)) {
    return o.error(
      `${running} is not a Node.js Clawdbot supports (${range})`,
      `install a Node.js in ${range} (https://nodejs.org/ or your system's packages), then run \`npm rebuild\``,
    );
  }
  return o.ok(`${running} (Clawdbot supports ${range})`);
});
