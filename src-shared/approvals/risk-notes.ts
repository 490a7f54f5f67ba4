import type { CommandWhere } from '../config/approvals-schema.js';
import { hasHiddenOrLookalike } from './reveal-command.js';
import { passesCodeInline } from './command-match.js';

const RULES: ReadonlyArray<[RegExp, string]> = [
  [
    /(^|[\s;&|(])sudo\b|(^|[\s;&|(])(su|doas|pkexec)\s/,
    'runs as another user (sudo): full control of the machine',
  ],
  [
    /(^|[\s;&|(])rm\s+(-[a-zA-Z]*[rRf]|--recursive|--force)/,
    'deletes files recursively or without asking (rm -r / -f)',
  ],
  [
    /(^|[\s;&|(])(curl|wget|nc|ncat|netcat|ssh|scp|rsync|ftp|telnet|socat)\b|https?:\/\//,
    'uses the network: it can send your files or fetch code from elsewhere',
  ],
  [
    /\|\s*(?:[\w./-]*\/)?(?:env\s+)?(?:ba|da|z|k)?sh\b/,
    'pipes something into a shell: what runs is not visible here',
  ],
  [
    /(~|\$HOME|\/home\/[^/\s]+|\/root)\/\.(ssh|aws|gnupg|config\/gcloud|kube|docker|netrc|npmrc|pypirc|git-credentials)|\/etc\/(shadow|sudoers)|id_(rsa|ed25519|ecdsa)|\.env\b|credentials|\.clawdbot/,
    'reads credential paths (keys, tokens, passwords)',
  ],
  [
    /(>{1,2}|\btee\b|\bmv\b|\bcp\b|\bchmod\b|\bchown\b|\bln\b|\bdd\b|\bmkfs\b|\btruncate\b)\s*[^\s]*\s*(\/(?!tmp\b|dev\/null)|~|\$HOME|\.\.\/)/,
    'writes or changes files outside the workspace',
  ],
  [
    /(^|[\s;&|(])(systemctl|service|crontab|launchctl|shutdown|reboot|kill|pkill|killall|iptables|useradd|passwd)\b/,
    'changes the system (services, scheduled jobs, users, processes)',
  ],
];

/**
 * The risk note the approval dialog shows, in plain words: what in the command deserves a second
 * look (sudo, `rm -r`, the network, piping into a shell, credential paths, writes outside the
 * workspace, hidden characters). Empty when nothing stands out, which does not make it safe.
 */
export function riskNotes(command: string, where: CommandWhere): string[] {
  const notes = RULES.filter(([pattern]) => pattern.test(command)).map(([, note]) => note);
  if (passesCodeInline(command) && !notes.some((n) => n.startsWith('pipes'))) {
    notes.push(
      'passes code to an interpreter inline: only an exact allowlist entry can approve it',
    );
  }
  if (hasHiddenOrLookalike(command)) {
    notes.push('contains invisible or look-alike characters: read the marked ones closely');
  }
  if (where === 'host' && notes.length > 0) {
    notes.push('runs on your computer as you, not in a sandbox');
  }
  return notes;
}
