import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src-main/logging/logger.js';
import { TailBuffer } from '../../src-main/supervisor/gateway-child.js';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

describe('secrets never reach a log line or a crash tail', () => {
  it('redacts a Telegram bot token in log fields and messages', () => {
    const lines: string[] = [];
    const log = createLogger({ process: 'test', write: (line) => lines.push(line) });
    log.error(`request to https://api.telegram.org/bot${TOKEN}/getMe failed`, {
      url: `bot${TOKEN}`,
    });
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(lines[0]).toContain('[redacted]');
  });

  it('redacts the stderr tail shown in the UI, even when the token arrives in pieces', () => {
    const tail = new TailBuffer();
    tail.push(`fatal: bot${TOKEN.slice(0, 20)}`);
    tail.push(`${TOKEN.slice(20)} rejected\n`);
    expect(tail.toString()).not.toContain(TOKEN);
    expect(tail.toString()).toContain('[redacted]');
  });
});
