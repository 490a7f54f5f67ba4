import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createAccessStore } from '../../src-main/access/access-store.js';
import { PairingService } from '../../src-main/access/pairing-service.js';
import { createNodeGatewayLauncher } from '../../src-main/supervisor/node-gateway-launcher.js';
import { Supervisor } from '../../src-main/supervisor/supervisor.js';
import { createLogger, silentLogger } from '../../src-main/logging/logger.js';
import { createApprovalsRepo } from '../../src-main/store/approvals-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { FakeTelegramApi, type SentMessage } from '../../test/fixtures/fake-telegram-api.js';
import type { ScriptedModelServer } from '../../test/fixtures/scripted-model-server.js';
import { builtGateway } from '../../test/helpers/paths.js';
import { unreachableDocker } from '../../test/helpers/supervisor.js';
import { startTelegramChild, type TelegramChild } from '../../test/helpers/telegram-child.js';
import { waitFor } from '../../test/helpers/wait.js';
import { openWebUi } from '../../test/helpers/web-ui.js';

/** How long one sample may take: a model turn, a dialog, a decision and the model's answer. */
const SAMPLE_TIMEOUT_MS = 30_000;
const OWNER = 7_000_001;

/** The time a request was stored by the gateway (its `requested_at`, ms since the epoch). */
function requestedAt(stateDir: string, command: string): number {
  const db = openDatabase(stateDir);
  try {
    const repo = createApprovalsRepo(db, silentLogger);
    const found = [...repo.pending(), ...repo.history(0)].find(
      (request) => request.command === command,
    );
    if (!found) throw new Error(`no approval request for ${JSON.stringify(command)}`);
    return found.requestedAt;
  } finally {
    db.close();
  }
}

/**
 * Arms a watcher in the page that records `Date.now()` the first time `selector` is in the
 * document and shown (a `<dialog>` once it is open): the page's own clock, the same machine's as
 * the gateway's, so no poll interval of the bench is charged to the figure.
 */
async function watchFor(page: Page, selector: string): Promise<void> {
  await page.evaluate(`(() => {
    window.__benchSeen = null;
    const check = () => {
      const el = document.querySelector(${JSON.stringify(selector)});
      if (el && (el.tagName !== 'DIALOG' || el.open) && window.__benchSeen === null) {
        window.__benchSeen = Date.now();
        observer.disconnect();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['open'] });
    check();
  })()`);
}

async function seenAt(page: Page): Promise<number> {
  // Polled from here (the page's CSP forbids string predicates); the time is the page's own.
  return waitFor(
    'the element shown',
    () => page.evaluate<number | null>('window.__benchSeen'),
    SAMPLE_TIMEOUT_MS,
  );
}

/** One web sample: the approval dialog's latency and the pairing toast's (the baseline), in ms. */
export interface WebSample {
  dialog: number;
  pairingToast: number;
}

/**
 * Web mode (the headless supervisor, the built gateway child, Debian's Chromium on the page) with
 * an obedient scripted model: the owner types `run: …` in the console, the gateway stores the
 * request, and the figure is from its `requested_at` to the approval dialog open in the page.
 * The baseline, same page and transport: a pairing request stored (as the gateway stores one) to
 * its toast shown.
 */
export class WebLatency {
  private constructor(
    private readonly stateDir: string,
    private readonly ui: { supervisor: HeadlessSupervisor; browser: Browser; page: Page },
    private readonly pageErrors: string[],
  ) {}

  static async start(root: string, model: ScriptedModelServer): Promise<WebLatency> {
    const stateDir = join(root, 'web-state');
    mkdirSync(stateDir, { mode: 0o700 });
    writeFileSync(
      join(stateDir, 'clawdbot.json'),
      JSON.stringify({
        agent: {
          model: { provider: 'openai', name: 'obedient', baseUrl: model.baseUrlFor('openai') },
        },
      }),
    );
    const pageErrors: string[] = [];
    const ui = await openWebUi(
      {
        stateDir,
        env: {
          ...process.env,
          CLAWDBOT_CONFIG_PATH: '',
          CLAWDBOT_LOG_FILE: join(root, 'web-log-YYYY-MM-DD.log'),
          OPENAI_API_KEY: 'bench-key',
        },
      },
      pageErrors,
    );
    await ui.page
      .getByTestId('gateway-state')
      .filter({ hasText: 'Running' })
      .waitFor({ timeout: SAMPLE_TIMEOUT_MS });
    await ui.page.getByTestId('nav-console').click();
    return new WebLatency(stateDir, ui, pageErrors);
  }

  async sample(run: number): Promise<WebSample> {
    const { page } = this.ui;
    const command = `echo bench-web-${run}`;
    const denials = async (): Promise<number> =>
      ((await page.getByTestId('console-view').textContent()) ?? '').split(
        'the owner denied this command',
      ).length - 1;
    const before = await denials();

    await watchFor(page, '[data-testid="approval-dialog"]');
    await page.getByTestId('console-input').fill(`run: ${command}`);
    await page.getByTestId('console-send').click();
    const dialog = (await seenAt(page)) - requestedAt(this.stateDir, command);
    // Escape denies; the turn ends before the next sample starts.
    await page.keyboard.press('Escape');
    await page.getByTestId('approval-dialog').waitFor({ state: 'detached' });
    await waitFor(
      'the denial in the console',
      async () => (await denials()) > before,
      SAMPLE_TIMEOUT_MS,
    );

    await watchFor(page, '[data-testid="pairing-toast"]');
    const db = openDatabase(this.stateDir);
    let pairingToast: number;
    try {
      const pairing = new PairingService(createAccessStore(db));
      const outcome = pairing.onStranger('telegram', `90000${run}`, `Bench ${run}`);
      if (outcome.kind !== 'created') throw new Error(`no pairing request: ${outcome.kind}`);
      pairingToast = (await seenAt(page)) - outcome.request.createdAt;
      pairing.reject('telegram', outcome.request.code, { actor: 'cli' });
    } finally {
      db.close();
    }
    await page.getByTestId('pairing-toast').waitFor({ state: 'detached' });
    if (this.pageErrors.length > 0) throw new Error(`page errors: ${this.pageErrors.join('\n')}`);
    return { dialog, pairingToast };
  }

  async close(): Promise<void> {
    await this.ui.browser.close();
    await this.ui.supervisor.close();
  }
}

/** One Telegram sample, in ms. */
export interface TelegramSample {
  /** Request stored → the owner's message with buttons received by the fake Bot API. */
  prompt: number;
  /** Baseline: a stranger's pairing request stored → their pairing-code reply received. */
  pairingReply: number;
}

/**
 * The real supervisor and built gateway child polling the fake Bot API (in this process, a real
 * HTTP server): the owner DMs `run: …`, and the figure is from the request's `requested_at` to the
 * fake API receiving the `sendMessage` with its buttons. Baseline, same run: a stranger's DM, from
 * the pairing request stored to the fake API receiving the pairing-code reply (the gateway's
 * ordinary reply path for a stored row).
 */
export class TelegramLatency {
  private constructor(
    private readonly child: TelegramChild,
    private readonly api: FakeTelegramApi,
    private readonly supervisor: Supervisor,
  ) {}

  static async start(root: string, model: ScriptedModelServer): Promise<TelegramLatency> {
    const api = await FakeTelegramApi.start({ username: 'approvals_bench_bot' });
    const stateDir = join(root, 'telegram-state');
    mkdirSync(stateDir, { mode: 0o700 });
    let opened: Supervisor | null = null;
    const child = await startTelegramChild({
      api,
      stateDir,
      config: {
        owner: { telegram: [String(OWNER)] },
        agent: {
          model: { provider: 'openai', name: 'obedient', baseUrl: model.baseUrlFor('openai') },
        },
      },
      env: { OPENAI_API_KEY: 'bench-key' },
      open: (options) => {
        opened = Supervisor.open({
          docker: unreachableDocker(),
          launch: createNodeGatewayLauncher({ entry: builtGateway }),
          log: createLogger({ process: 'supervisor', level: 'warn' }),
          ...options,
        });
        return opened;
      },
    });
    return new TelegramLatency(child, api, opened!);
  }

  async sample(run: number): Promise<TelegramSample> {
    const { api, child } = this;
    const command = `echo bench-tg-${run}`;
    // Three answers: the prompt, what was decided, and the model's reply to the denial.
    const answered = child.dm(OWNER, `run: ${command}`, 3);
    const message = await waitFor(
      'the approval prompt',
      () =>
        api.sent.find(
          (m) =>
            m.chat_id === String(OWNER) && (m.buttons?.length ?? 0) > 0 && m.text.includes(command),
        ),
      SAMPLE_TIMEOUT_MS,
    );
    const prompt = message.at - requestedAt(child.stateDir, command);
    api.pressButton(OWNER, message, deny(message));
    await answered;

    const stranger = 8_000_000 + run;
    const replied = child.dm(stranger, 'hello?');
    await replied;
    const reply = api.sent.find((m) => m.chat_id === String(stranger))!;
    const db = openDatabase(child.stateDir);
    let pairingReply: number;
    try {
      const pairing = new PairingService(createAccessStore(db));
      const request = pairing.list('telegram').find((r) => r.senderId === String(stranger));
      if (!request) throw new Error(`no pairing request from ${stranger}`);
      pairingReply = reply.at - request.createdAt;
      pairing.reject('telegram', request.code, { actor: 'cli' });
    } finally {
      db.close();
    }
    return { prompt, pairingReply };
  }

  async close(): Promise<void> {
    await this.supervisor.close();
    await this.api.close();
  }
}

function deny(message: SentMessage): string {
  const button = message.buttons!.flat().find((b) => b.text === 'Deny');
  if (!button) throw new Error('the prompt has no Deny button');
  return button.callback_data;
}
