import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { runAudit, runSafeFixes } from '../../src-main/audit/audit-service.js';
import { collectAuditInput } from '../../src-main/audit/collect-input.js';
import { editConfigText } from '../../src-main/audit/config-edit.js';
import { runChecks } from '../../src-main/audit/run-checks.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

/** The collector against real files with real modes, and `--fix` applied to them (twice). */

const CONFIG = `// my bot
{
  assistant: { name: 'Clawd' }, // keep this comment
  telegram: {
    groupPolicy: 'open',
    groups: { '-100123': { requireMention: true } },
  },
  whatsapp: { "groupPolicy": "open" },
  logging: { redactSensitive: false, level: 'debug' },
  agent: { instructions: 'mention groupPolicy: "open" in replies', sandbox: { mode: 'all' } },
}
`;

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('the audit on disk, and --fix', () => {
  const tempStateDir = useTempStateDirs();

  /** A state directory with everything readable by others. */
  function leakyState(configText = CONFIG): {
    stateDir: string;
    configPath: string;
    files: string[];
  } {
    const stateDir = tempStateDir();
    mkdirSync(join(stateDir, 'credentials', 'whatsapp'), { recursive: true });
    const configPath = join(stateDir, 'clawdbot.json');
    const files = [
      configPath,
      join(stateDir, 'clawdbot.db'),
      join(stateDir, 'credentials', 'whatsapp', 'creds.json'),
    ];
    writeFileSync(configPath, configText);
    writeFileSync(files[1] as string, '');
    writeFileSync(files[2] as string, '{}');
    for (const file of files) chmodSync(file, 0o644);
    for (const dir of [
      stateDir,
      join(stateDir, 'credentials'),
      join(stateDir, 'credentials', 'whatsapp'),
    ])
      chmodSync(dir, 0o755);
    return { stateDir, configPath, files };
  }

  it('finds shared files by their real modes, one finding per kind', async () => {
    const { stateDir, configPath } = leakyState();
    const input = await collectAuditInput({ stateDir, configPath, docker: false });
    const ids = runChecks(input).map((f) => f.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'files.state-dir',
        'files.database',
        'files.credentials',
        'files.config',
        'groups.policy-open',
        'logging.redaction-off',
      ]),
    );
    expect(ids.filter((id) => id === 'groups.policy-open')).toHaveLength(2);
    // Collecting only reads: nothing was tightened behind the audit's back.
    expect(mode(stateDir)).toBe(0o755);
  });

  it("applies only the safe fixes, keeps the owner's comments, and changes nothing the second time", async () => {
    const { stateDir, configPath, files } = leakyState();
    const first = await runSafeFixes({ stateDir, configPath, docker: false });
    expect(first.changes).toEqual(
      expect.arrayContaining([
        `logging.redactSensitive: false → true in ${configPath}`,
        `telegram.groupPolicy: "open" → "allowlist" in ${configPath}`,
        `whatsapp.groupPolicy: "open" → "allowlist" in ${configPath}`,
        `chmod 700 ${stateDir} (was 755)`,
        `chmod 600 ${configPath} (was 644)`,
      ]),
    );
    expect(first.changes).toHaveLength(3 + 1 + 2 + 3);
    // Closing the groups leaves the listed Telegram group to the owner alone: the audit says so,
    // so the owner knows why it went silent (and that groupAllowFrom is the way to open it).
    expect(first.findings.map((f) => [f.id, f.severity])).toEqual([
      ['groups.allowlist-empty', 'info'],
    ]);

    const text = readFileSync(configPath, 'utf8');
    expect(text).toContain('// keep this comment');
    // The same words inside a string are not a key: left as written.
    expect(text).toContain('mention groupPolicy: "open" in replies');
    const parsed = JSON5.parse<Record<string, Record<string, unknown>>>(text);
    expect(parsed['telegram']?.['groupPolicy']).toBe('allowlist');
    expect(parsed['logging']).toEqual({ redactSensitive: true, level: 'debug' });
    expect(mode(stateDir)).toBe(0o700);
    expect(mode(join(stateDir, 'credentials'))).toBe(0o700);
    for (const file of files) expect(mode(file)).toBe(0o600);

    const second = await runSafeFixes({ stateDir, configPath, docker: false });
    expect(second.changes).toEqual([]);
    expect(readFileSync(configPath, 'utf8')).toBe(text);
  });

  it('leaves what is not safe to change for the owner, and says so', async () => {
    const { stateDir, configPath } = leakyState(
      "{ telegram: { dmPolicy: 'open', allowFrom: ['*'] }, agent: { sandbox: { mode: 'all' } } }",
    );
    const before = readFileSync(configPath, 'utf8');
    const result = await runSafeFixes({ stateDir, configPath, docker: false });
    expect(result.findings.map((f) => f.id)).toEqual(['dm.open']);
    expect(readFileSync(configPath, 'utf8')).toBe(before);
  });

  it('rewrites the file as formatted JSON, keeping every key, when an edit cannot be made in place', () => {
    // An escaped key name is valid JSON5 the pattern cannot see.
    const text =
      "{ telegram: { gr\\u006fupPolicy: 'open', dmPolicy: 'pairing' }, /* note */ owner: { telegram: ['42'] } }";
    const edited = editConfigText(text, [
      { path: ['telegram', 'groupPolicy'], from: 'open', to: 'allowlist' },
    ]);
    expect(edited.preserved).toBe(false);
    expect(JSON.parse(edited.text)).toEqual({
      telegram: { groupPolicy: 'allowlist', dmPolicy: 'pairing' },
      owner: { telegram: ['42'] },
    });
  });

  it('reports an unreadable config as invalid instead of failing', async () => {
    const { stateDir, configPath } = leakyState('{ telegram: { ');
    const report = await runAudit({ stateDir, configPath, docker: false });
    expect(report.findings[0]?.id).toBe('config.invalid');
    expect(report.findings[0]?.meaning).toMatch(/JSON5: invalid end of input/);
  });
});
