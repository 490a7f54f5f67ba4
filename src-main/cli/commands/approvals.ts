import type { Command } from 'commander';
import { oneLineErrors } from '../cli-args.js';
import type { CliContext } from '../cli-context.js';

/**
 * `clawdbot approvals list|allow|deny|allowlist`: the commands waiting for the owner, decided
 * here like anywhere else (the first answer wins), and the allowlist of commands that need none.
 */
export function registerApprovalsCommand(program: Command, context: CliContext): void {
  const approvals = program
    .command('approvals')
    .description('host commands waiting for your decision, and the approvals allowlist');
  oneLineErrors(
    approvals
      .command('list')
      .description('pending requests (then the last 30 days with --all)')
      .option('--json', 'print one JSON object')
      .option('--all', 'also list decided requests of the last 30 days')
      .action(async (options: { json?: boolean; all?: boolean }) => {
        const { listApprovals } = await import('./approvals-actions.js');
        await listApprovals(context, options.json === true, options.all === true);
      }),
  );
  oneLineErrors(
    approvals
      .command('allow')
      .description('let a waiting command run (--always: and add its exact text to the allowlist)')
      .argument('<id>', 'the request id')
      .option('--always', 'remember the exact command in agent.approvals.allowlist')
      .action(async (id: string, options: { always?: boolean }) => {
        const { decide } = await import('./approvals-actions.js');
        await decide(context, id, options.always === true ? 'always' : 'once');
      }),
  );
  oneLineErrors(
    approvals
      .command('deny')
      .description('refuse a waiting command (the model is told the owner denied it)')
      .argument('<id>', 'the request id')
      .action(async (id: string) => {
        const { decide } = await import('./approvals-actions.js');
        await decide(context, id, 'deny');
      }),
  );
  const allowlist = approvals
    .command('allowlist')
    .description('commands that run on the host without asking (agent.approvals.allowlist)');
  oneLineErrors(
    allowlist
      .command('list')
      .option('--json', 'print one JSON array')
      .action(async (options: { json?: boolean }) => {
        const { listAllowlist } = await import('./approvals-actions.js');
        listAllowlist(context, options.json === true);
      }),
  );
  for (const verb of ['add', 'remove'] as const) {
    oneLineErrors(
      allowlist
        .command(verb)
        .description(`${verb} an entry (prefix and regex never match inline interpreters)`)
        .argument('<command>', 'the command text, prefix or pattern')
        .option('--match <how>', 'exact | prefix | regex', 'exact')
        .option('--where <where>', 'host | sandbox', 'host')
        .action(async (command: string, options: { match: string; where: string }) => {
          const { editAllowlist } = await import('./approvals-actions.js');
          editAllowlist(context, verb, command, options.match, options.where);
        }),
    );
  }
}
