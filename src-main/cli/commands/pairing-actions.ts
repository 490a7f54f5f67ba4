import { PAIRING_TTL_MS, type PairingRequest } from '../../../src-shared/domain/access.js';
import type { MessagingProvider } from '../../../src-shared/domain/providers.js';
import { PairingService } from '../../access/pairing-service.js';
import { withCliAccess } from '../access-session.js';
import type { CliContext } from '../cli-context.js';
import { observedGatewayStatus } from '../gateway-liveness.js';
import { formatTable, printable } from '../table.js';
import { formatDuration } from '../../../src-shared/format/duration.js';

// The gateway drops queued notices older than this (see the outbound router).
const NOTICE_VALID_FOR = '24 h';

function who(request: PairingRequest): string {
  const id = printable(request.senderId);
  return request.displayName ? `${printable(request.displayName)} (${id})` : id;
}

/** `pairing list`: the pending requests as a table, or JSON. */
export function listPairingRequests(
  context: CliContext,
  provider: MessagingProvider | undefined,
  json: boolean,
): Promise<void> {
  return withCliAccess(context, ({ access }) => {
    const requests = new PairingService(access).list(provider);
    if (json) {
      process.stdout.write(`${JSON.stringify(requests)}\n`);
      return;
    }
    if (requests.length === 0) {
      process.stdout.write(`no pending pairing requests${provider ? ` on ${provider}` : ''}\n`);
      return;
    }
    const now = Date.now();
    const rows = requests.map((r) => [
      r.provider,
      r.code,
      r.senderId,
      r.displayName ?? '-',
      `${formatDuration(Math.max(0, now - r.createdAt))} ago`,
      formatDuration(Math.max(0, r.expiresAt - now)),
    ]);
    process.stdout.write(
      `${formatTable(['provider', 'code', 'sender id', 'name', 'first seen', 'expires in'], rows)}\n`,
    );
  });
}

/** `pairing approve`: the sender joins the allowlist; with `notify`, the gateway tells them. */
export function approvePairing(
  context: CliContext,
  provider: MessagingProvider,
  code: string,
  notify: boolean,
): Promise<void> {
  return withCliAccess(context, ({ access, runtime }) => {
    const { request } = new PairingService(access).approve(provider, code, {
      notify,
      actor: 'cli',
    });
    const lines = [
      `approved ${who(request)} on ${provider}: they can now message the bot, in a session of their own`,
    ];
    if (!notify) lines.push('they were not told; pass --notify to have the gateway tell them');
    else if (observedGatewayStatus(runtime).state === 'running')
      lines.push('the gateway will notify them');
    else
      lines.push(
        `no gateway is running: the notice will be sent when it starts (within ${NOTICE_VALID_FOR})`,
      );
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}

/** `pairing reject`: the request goes; the sender is ignored until the TTL runs out. */
export function rejectPairing(
  context: CliContext,
  provider: MessagingProvider,
  code: string,
): Promise<void> {
  return withCliAccess(context, ({ access }) => {
    const request = new PairingService(access).reject(provider, code, { actor: 'cli' });
    process.stdout.write(
      `rejected ${who(request)} on ${provider} (code ${request.code}); they are ignored and can only ask again in ${Math.round(PAIRING_TTL_MS / 60_000)} min\n`,
    );
  });
}
