import type { AllowlistEntry, AllowlistKind } from '../../../src-shared/domain/access.js';
import type { ProviderAllowlist } from '../../../src-shared/domain/allowlist-overview.js';
import { normalizeId, type MessagingProvider } from '../../../src-shared/domain/providers.js';
import { buildAllowlistOverview } from '../../access/allowlist-overview.js';
import { AllowlistService } from '../../access/allowlist-service.js';
import { AppError } from '../../../src-shared/domain/app-error.js';
import { withCliAccess } from '../access-session.js';
import type { CliContext } from '../cli-context.js';
import { formatTable, formatTimestamp, printable } from '../table.js';

const kindLabel = (kind: AllowlistKind): string => (kind === 'dm' ? 'DM' : 'group');

function policyLine(p: ProviderAllowlist): string {
  const warning = p.dmPolicy === 'open' ? ' (WARNING: anyone can DM the bot)' : '';
  return `${p.provider}: DM policy ${p.dmPolicy}${warning}, group policy ${p.groupPolicy}`;
}

function entryRow(e: AllowlistEntry): string[] {
  return [
    e.provider,
    kindLabel(e.kind),
    e.id,
    e.displayName ?? '-',
    e.source === 'config' ? `config (${e.configKey ?? '?'})` : 'approved',
    e.approvedAt === null ? '-' : `by ${e.approvedBy ?? '?'}, ${formatTimestamp(e.approvedAt)}`,
  ];
}

/** `allowlist list`: policies and entries per provider, or the overview as JSON. */
export function listAllowlists(
  context: CliContext,
  provider: MessagingProvider | undefined,
  json: boolean,
): Promise<void> {
  return withCliAccess(context, ({ access }) => {
    // The file, or while it is invalid the last good config, as a gateway starting now runs on.
    const config = context.config().current();
    const overview = buildAllowlistOverview(config, access.allowlist);
    const providers = overview.providers.filter((p) => !provider || p.provider === provider);
    if (json) {
      process.stdout.write(`${JSON.stringify({ ...overview, providers })}\n`);
      return;
    }
    if (config.errors) {
      process.stderr.write(
        `clawdbot: warning: ${config.path} is invalid (see \`clawdbot config validate\`); config entries below are the safe defaults\n`,
      );
    }
    const entries = providers.flatMap((p) => p.entries);
    const lines = providers.map(policyLine);
    lines.push(
      entries.length === 0
        ? 'no allowlist entries'
        : formatTable(
            ['provider', 'kind', 'id', 'name', 'source', 'approved'],
            entries.map(entryRow),
          ),
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}

/** `allowlist add|remove`: one approved entry, recorded in the audit trail as the CLI's doing. */
export function changeAllowlist(
  context: CliContext,
  action: 'add' | 'remove',
  provider: MessagingProvider,
  kind: AllowlistKind,
  rawId: string,
): Promise<void> {
  return withCliAccess(context, ({ access }) => {
    const service = new AllowlistService(access);
    const what = `${provider} ${kindLabel(kind)} ${printable(normalizeId(provider, rawId, kind === 'group' ? 'group' : 'user'))}`;
    if (action === 'add') {
      const added = service.add(provider, kind, rawId, 'cli');
      process.stdout.write(
        added ? `added ${what} to the allowlist\n` : `${what} is already on the allowlist\n`,
      );
      return;
    }
    const config = context.config().current();
    try {
      service.remove(provider, kind, rawId, 'cli', config);
    } catch (error) {
      // With an unreadable config the file's entries are unknown: say so rather than "not found".
      if (error instanceof AppError && error.code === 'NOT_FOUND' && config.errors)
        throw new AppError(
          'NOT_FOUND',
          `${error.message}; ${config.path} is invalid, so its entries could not be checked`,
        );
      throw error;
    }
    process.stdout.write(`removed ${what} from the allowlist\n`);
  });
}
