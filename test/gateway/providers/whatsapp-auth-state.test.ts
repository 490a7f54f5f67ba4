import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BufferJSON, useMultiFileAuthState } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import {
  isWhatsAppLinked,
  openAuthState,
} from '../../../src-main/gateway/providers/whatsapp/auth-state.js';
import { whatsappAuthDir } from '../../../src-main/state-layout.js';
import { useTempStateDirs } from '../../helpers/temp-state.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the WhatsApp auth state on disk', () => {
  const stateDir = useTempStateDirs();

  it('never shows a reader a half-written creds.json, so a link survives a crash or a restart mid-save', async () => {
    const dir = stateDir();
    const auth = await openAuthState(dir, useMultiFileAuthState, BufferJSON.replacer);
    auth.state.creds.me = { id: '15550001111:1@s.whatsapp.net', name: 'Owner' };
    await auth.saveCreds();
    const file = join(whatsappAuthDir(dir), 'creds.json');
    expect(isWhatsAppLinked(dir)).toBe(true);

    // Saves back to back, as Baileys' creds.update bursts do, with a reader (the gateway's start,
    // which decides whether to connect) looking between every event-loop turn.
    const torn: string[] = [];
    for (let round = 0; round < 40; round++) {
      let done = false;
      const saves = Promise.all([auth.saveCreds(), auth.saveCreds()]).finally(() => {
        done = true;
      });
      while (!done) {
        const text = readFileSync(file, 'utf8');
        try {
          JSON.parse(text, BufferJSON.reviver);
        } catch {
          torn.push(`round ${round}: ${text.length} bytes`);
        }
        if (!isWhatsAppLinked(dir)) torn.push(`round ${round}: read as not linked`);
        await nextTurn();
      }
      await saves;
    }
    expect(torn).toEqual([]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8'), BufferJSON.reviver) as {
      me: { id: string };
      noiseKey: { private: Buffer };
    };
    expect(saved.me.id).toBe('15550001111:1@s.whatsapp.net');
    expect(Buffer.isBuffer(saved.noiseKey.private)).toBe(true);
  });
});
