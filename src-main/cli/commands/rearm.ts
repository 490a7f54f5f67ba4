import type { Command } from 'commander';
import { withCliStore } from '../open-store.js';
import type { CliContext } from '../cli-context.js';

/** `clawdbot rearm`: disengages the kill switch; nothing starts until someone starts it. */
export function registerRearmCommand(program: Command, context: CliContext): void {
  program
    .command('rearm')
    .description('disengage the kill switch (the gateway stays stopped until started)')
    .action(() =>
      withCliStore(context, ({ killSwitch }) => {
        if (!killSwitch.read().engaged) {
          process.stdout.write('the kill switch is not engaged\n');
          return;
        }
        killSwitch.rearm(Date.now());
        process.stdout.write(
          're-armed: the gateway stays stopped until you start it (`clawdbot gateway start`, the app, or the tray)\n',
        );
      }),
    );
}
