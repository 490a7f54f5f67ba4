import { isWhatsAppLinked } from '../../gateway/providers/whatsapp/auth-state.js';
import { whatsappAuthDir } from '../../state-layout.js';
import { defineCheck } from '../doctor-context.js';

const LOGIN =
  '`clawdbot whatsapp login`, then scan the QR code with WhatsApp → Settings → Linked devices';

/** Whether a phone is linked (the saved credentials name an account), and whether it is wanted. */
export const checkWhatsApp = defineCheck('whatsapp', 'WhatsApp', (context, facts, o) => {
  const enabled = facts.config.config.whatsapp.enabled;
  if (isWhatsAppLinked(context.stateDir)) {
    return o.ok(`linked (credentials in ${whatsappAuthDir(context.stateDir)})`);
  }
  if (enabled) {
    return o.warning(
      'whatsapp.enabled is true but no phone is linked: nobody can reach the bot there',
      LOGIN,
    );
  }
  return o.info('not linked (WhatsApp is off)', `to use WhatsApp: ${LOGIN}`);
});
