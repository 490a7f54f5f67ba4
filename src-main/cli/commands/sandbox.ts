import { Argument, type Command } from 'commander';
import { oneLineErrors } from '../cli-args.js';
import type { CliContext } from '../cli-context.js';

/**
 * `clawdbot sandbox image build [--offline]|list|stop <name>|prune`: build the sandbox image
 * and look after the sandbox containers, straight through the Docker API, with or without a
 * gateway running. The actions (and dockerode with them) load only when a command runs.
 */
export function registerSandboxCommands(program: Command, context: CliContext): void {
  const sandbox = oneLineErrors(
    program
      .command('sandbox')
      .description('build the sandbox image, list, stop or prune sandbox containers'),
  );

  const image = oneLineErrors(sandbox.command('image').description('the sandbox image'));
  oneLineErrors(
    image
      .command('build')
      .description(
        'build clawdbot-sandbox:bookworm from assets/sandbox (--offline: debootstrap + docker import, no registry)',
      )
      .option('--offline', 'build from Debian packages with debootstrap (needs root)')
      .option('--tag <image>', 'the image tag (default clawdbot-sandbox:bookworm)')
      .option('--mirror <url>', "offline: the Debian mirror (default: the host's apt mirror)")
      .action(async (options: { offline?: boolean; tag?: string; mirror?: string }) => {
        const { buildImageCommand } = await import('./sandbox-actions.js');
        await buildImageCommand(options, context);
      }),
  );

  oneLineErrors(
    sandbox
      .command('list')
      .description('show sandbox containers: session, image, age, last use, CPU and memory')
      .option('--json', 'print them as a JSON array')
      .action(async (options: { json?: boolean }) => {
        const { listSandboxesCommand } = await import('./sandbox-actions.js');
        await listSandboxesCommand(context, options.json === true);
      }),
  );

  oneLineErrors(
    sandbox
      .command('stop')
      .description('stop and remove a sandbox container (its workspace is kept)')
      .addArgument(new Argument('<name>', 'the container name (or id), as `sandbox list` shows it'))
      .action(async (name: string) => {
        const { stopSandboxCommand } = await import('./sandbox-actions.js');
        await stopSandboxCommand(context, name);
      }),
  );

  oneLineErrors(
    sandbox
      .command('prune')
      .description('remove idle or old sandbox containers of this state directory now')
      .option('--json', 'print what was removed as a JSON array')
      .action(async (options: { json?: boolean }) => {
        const { pruneSandboxesCommand } = await import('./sandbox-actions.js');
        await pruneSandboxesCommand(context, options.json === true);
      }),
  );
}
