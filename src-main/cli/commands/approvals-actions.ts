import {
  APPROVALS_HISTORY_DAYS,
  type ApprovalChoice,
  type ApprovalRequest,
} from '../../../src-shared/domain/approvals.js';
import { revealedText } from '../../../src-shared/approvals/reveal-command.js';
import { approvalRunsOn } from '../../../src-shared/format/approval-runs-on.js';
import { riskNotes } from '../../../src-shared/approvals/risk-notes.js';
import { addAllowEntry, removeAllowEntry } from '../../approvals/allowlist-file.js';
import { decideApproval } from '../../approvals/decide-approval.js';
import { cliLogOnDemand } from '../../logging/cli-logging.js';
import { createApprovalsRepo } from '../../store/approvals-repo.js';
import { CliError } from '../cli-error.js';
import type { CliContext } from '../cli-context.js';
import { withCliStore } from '../open-store.js';
import { formatTable } from '../table.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function describe(request: ApprovalRequest, now: number): string[] {
  const notes = riskNotes(request.command, request.where);
  const left = Math.max(0, Math.round((request.expiresAt - now) / 1000));
  return [
    `${request.id}  ${request.where}  ${request.sessionKey}  from ${request.senderName ?? request.senderId}  (denied in ${left} s)`,
    `  $ ${revealedText(request.command)}`,
    `  runs on ${approvalRunsOn(request)}`,
    `  cwd ${request.cwd}`,
    ...(request.message ? [`  message: ${request.message}`] : []),
    ...(notes.length > 0 ? [`  risk: ${notes.join('; ')}`] : []),
  ];
}

/** `approvals list`: pending requests (and, with `all`, 30 days of decided ones). */
export async function listApprovals(
  context: CliContext,
  json: boolean,
  all: boolean,
): Promise<void> {
  const now = Date.now();
  const { pending, history } = await withCliStore(context, ({ db }) => {
    const repo = createApprovalsRepo(db, cliLogOnDemand(context, 'approvals'));
    return {
      pending: repo.pending(),
      history: all ? repo.history(now - APPROVALS_HISTORY_DAYS * DAY_MS) : [],
    };
  });
  if (json) {
    process.stdout.write(`${JSON.stringify(all ? { pending, history } : pending)}\n`);
    return;
  }
  const lines =
    pending.length === 0
      ? ['No command is waiting for approval.']
      : pending.flatMap((r) => describe(r, now));
  if (all && history.length > 0) {
    lines.push(
      '',
      formatTable(
        ['id', 'outcome', 'by', 'via', 'session', 'runs on', 'command'],
        history.map((r) => [
          r.id,
          r.outcome ?? r.state,
          r.decidedBy ?? '',
          r.decidedVia ?? '',
          r.sessionKey,
          approvalRunsOn(r),
          revealedText(r.command),
        ]),
      ),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `approvals allow|deny ID`: the first answer wins; a late one says who decided first. */
export async function decide(
  context: CliContext,
  id: string,
  choice: ApprovalChoice,
): Promise<void> {
  const result = await withCliStore(context, ({ db }) =>
    decideApproval(id, choice, {
      repo: createApprovalsRepo(db, cliLogOnDemand(context, 'approvals')),
      configPath: context.configPath,
      by: `cli:${process.env['USER'] ?? 'owner'}`,
      via: 'cli',
      now: Date.now(),
    }),
  );
  if (!result.ok) throw new CliError(result.error);
  const verb =
    choice === 'deny'
      ? 'denied'
      : choice === 'always'
        ? 'allowed, and added to the allowlist'
        : 'allowed once';
  process.stdout.write(`${result.request.id}: ${verb}: ${revealedText(result.request.command)}\n`);
  if (result.allowlistError) {
    throw new CliError(`allowed once, but not added to the allowlist: ${result.allowlistError}`);
  }
}

/** `approvals allowlist list`. */
export function listAllowlist(context: CliContext, json: boolean): void {
  const list = context.config().current().config.agent.approvals.allowlist;
  if (json) {
    process.stdout.write(`${JSON.stringify(list)}\n`);
    return;
  }
  process.stdout.write(
    `${formatTable(
      ['command', 'match', 'where', 'added by', 'added'],
      list.map((e) => [
        e.command,
        e.match,
        e.where,
        e.addedBy,
        e.addedAt ? new Date(e.addedAt).toISOString() : '-',
      ]),
    )}\n`,
  );
}

/** `approvals allowlist add|remove COMMAND [--match] [--where]`: edits the config file. */
export function editAllowlist(
  context: CliContext,
  verb: 'add' | 'remove',
  command: string,
  match: string,
  where: string,
): void {
  if (!['exact', 'prefix', 'regex'].includes(match)) {
    throw new CliError(`--match must be exact, prefix or regex, not ${JSON.stringify(match)}`);
  }
  if (!['host', 'sandbox'].includes(where)) {
    throw new CliError(`--where must be host or sandbox, not ${JSON.stringify(where)}`);
  }
  const target = { command, match: match as 'exact', where: where as 'host' };
  const result =
    verb === 'add'
      ? addAllowEntry(context.configPath, { ...target, addedBy: 'cli', addedAt: Date.now() })
      : removeAllowEntry(context.configPath, target);
  if (!result.ok) throw new CliError(result.error);
  process.stdout.write(
    `${result.changed ? (verb === 'add' ? 'added' : 'removed') : 'already there'}: ${match} ${JSON.stringify(command)} (${where}); ${result.allowlist.length} entries\n`,
  );
}
