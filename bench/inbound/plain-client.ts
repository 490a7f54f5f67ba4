import { Agent, request } from 'node:http';
import type { Update } from 'grammy/types';
import type { BotRoot } from './fake-api.js';

/** Keep-alive with one socket: one request at a time, as the Telegram provider polls. */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/**
 * The baseline's client: a plain `node:http` `getUpdates` call, parsed, with nothing else, so
 * it measures what the fake server itself can deliver.
 */
export function getUpdates(
  bot: BotRoot,
  body: { offset: number; limit: number; timeout: number },
): Promise<Update[]> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(
      `${bot.apiRoot}/bot${bot.token}/getUpdates`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            ok: boolean;
            result: Update[];
          };
          if (parsed.ok) resolve(parsed.result);
          else reject(new Error(`getUpdates failed: ${JSON.stringify(parsed)}`));
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** Closes the kept-alive socket, so the bench's process can exit. */
export function closePlainClient(): void {
  agent.destroy();
}
