import type { Command } from 'commander';
import { oneLineErrors } from '../cli-args.js';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { liveSupervisor } from '../control-client.js';
import { observedGatewayStatus } from '../gateway-liveness.js';
import { withCliStore } from '../open-store.js';

/** `clawdbot whatsapp login`: link this machine to a WhatsApp account as a linked device. */
export function registerWhatsAppCommand(program: Command, context: CliContext): void {
  const whatsapp = oneLineErrors(
    program.command('whatsapp').description('link WhatsApp (Baileys, as a linked device)'),
  );

  oneLineErrors(
    whatsapp
      .command('login')
      .description(
        'show a QR code to scan in WhatsApp (Settings → Linked devices), then save the link',
      )
      .action(async () => {
        // Two connections on one link keep replacing each other and both write the key files:
        // refuse rather than risk the saved link.
        const running = await runningGatewayReason(context);
        if (running) throw new CliError(running);
        await login(context);
      }),
  );
}

async function login(context: CliContext): Promise<void> {
  // Loaded here, not at the top: Baileys takes a second or two to load, and every other
  // command would pay for it.
  const [{ runWhatsAppLogin }, { toString: qrToString }, { cliLogging }] = await Promise.all([
    import('../../gateway/providers/whatsapp/whatsapp-login.js'),
    import('qrcode'),
    import('../../logging/cli-logging.js'),
  ]);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await runWhatsAppLogin({
      stateDir: context.stateDir,
      // The log file gets the configured level; the terminal (it is for the QR code) errors only.
      log: cliLogging(context).logger({ scope: 'whatsapp', echoLevel: 'error' }),
      signal: controller.signal,
      onQr: async (qr, rotation) => {
        const art = await qrToString(qr, { type: 'terminal', small: true });
        const title =
          rotation === 1
            ? 'Scan this QR code with WhatsApp on your phone ' +
              '(Settings → Linked devices → Link a device):'
            : 'The QR code changed; scan this one:';
        process.stdout.write(`\n${title}\n${art}\n`);
      },
      onRetry: (reason) => process.stderr.write(`${reason}; retrying…\n`),
    });
    switch (result.outcome) {
      case 'linked':
        process.stdout.write(
          `${result.alreadyLinked ? 'Already linked' : 'Linked'} as ${result.account ?? '?'}\n`,
        );
        return;
      case 'cancelled':
        throw new CliError('login cancelled', 130);
      case 'logged-out':
        throw new CliError(`${result.reason}; run clawdbot whatsapp login again`);
      case 'error':
        throw new CliError(result.reason);
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Why linking here is refused: a running gateway may hold the same WhatsApp link. */
async function runningGatewayReason(context: CliContext): Promise<string | null> {
  return withCliStore(context, ({ runtime }) => {
    const gateway = observedGatewayStatus(runtime);
    const supervisor = liveSupervisor(runtime);
    const running = gateway.state === 'running' || gateway.state === 'starting';
    if (!running && !supervisor) return null;
    const who =
      running && gateway.pid !== null
        ? `a gateway is running (pid ${gateway.pid})`
        : 'a supervisor is running';
    return `${who}: link WhatsApp from the Providers view (Link), or stop the gateway first (clawdbot gateway stop)`;
  });
}
