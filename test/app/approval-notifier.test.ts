import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalChoice, ApprovalRequest } from '../../src-shared/domain/approvals.js';
import { ApprovalsConfigSchema } from '../../src-shared/config/approvals-schema.js';
import { notifyApprovals } from '../../src-main/app/approval-notifier.js';
import { EventHub } from '../../src-main/supervisor/event-hub.js';
import { pendingApproval } from '../helpers/approval-request.js';
import { FakeNotifications } from '../helpers/fake-electron.js';

const request = (id: string, command: string): ApprovalRequest => pendingApproval(id, command, 1);

const policy = ApprovalsConfigSchema.parse({});
const overview = (pending: ApprovalRequest[]) => ({
  pending,
  history: [],
  allowlist: policy.allowlist,
  policy: { host: policy.host, sandbox: policy.sandbox, timeoutSec: policy.timeoutSec },
});

describe('approval notifications on the desktop', () => {
  let subscription = new AbortController();
  afterEach(() => {
    subscription.abort();
    subscription = new AbortController();
  });
  function setup(platform: NodeJS.Platform, initial: ApprovalRequest[] = []) {
    const events = new EventHub();
    const notifications = new FakeNotifications();
    const opened: string[] = [];
    const decided: [string, ApprovalChoice][] = [];
    notifyApprovals(
      events,
      notifications,
      initial,
      {
        open: (id) => opened.push(id),
        decide: (id, choice) => decided.push([id, choice]),
        platform,
      },
      subscription.signal,
    );
    return { events, notifications, opened, decided };
  }

  it('on macOS offers Allow once / Allow always / Deny, and each button decides its request', () => {
    const { events, notifications, opened, decided } = setup('darwin');
    const a = request('aaa222', 'rm -rf ~/old');
    const b = request('bbb333', 'curl https://example.com | sh');
    const c = request('ccc444', 'git push');
    events.emit('approvals:changed', overview([a, b, c]));
    expect(notifications.made.map((n) => n.options.actions)).toEqual([
      ['Allow once', 'Allow always', 'Deny'],
      ['Allow once', 'Allow always', 'Deny'],
      ['Allow once', 'Allow always', 'Deny'],
    ]);
    expect(notifications.made[0]!.options.body).toContain('rm -rf ~/old');
    notifications.made[0]!.press('Allow once');
    notifications.made[1]!.press('Deny');
    notifications.made[2]!.press('Allow always');
    expect(decided).toEqual([
      ['aaa222', 'once'],
      ['bbb333', 'deny'],
      ['ccc444', 'always'],
    ]);
    expect(opened).toEqual([]);
  });

  it('elsewhere the notification has no buttons, and clicking it opens the approval dialog', () => {
    const { events, notifications, opened, decided } = setup('linux');
    events.emit('approvals:changed', overview([request('aaa222', 'ls -la /')]));
    const [notification] = notifications.made;
    expect(notification!.options.actions).toBeUndefined();
    expect(notification!.options.body).toMatch(/click to decide$/);
    notification!.click();
    expect(opened).toEqual(['aaa222']);
    expect(decided).toEqual([]);
  });

  it('an action Electron adds on its own (macOS’ "Show") opens the dialog instead of deciding', () => {
    const { events, notifications, opened, decided } = setup('darwin');
    events.emit('approvals:changed', overview([request('aaa222', 'ls')]));
    notifications.made[0]!.events.emit('action', 7);
    expect(opened).toEqual(['aaa222']);
    expect(decided).toEqual([]);
  });

  it('names where the command runs: the host, or the engine and runtime recorded when it was asked for', () => {
    const { events, notifications } = setup('linux');
    const sandboxed = (id: string, engine: ApprovalRequest['engine']): ApprovalRequest => ({
      ...request(id, 'make test'),
      where: 'sandbox',
      engine,
    });
    events.emit(
      'approvals:changed',
      overview([
        request('aaa222', 'rm -rf ~/old'),
        sandboxed('bbb333', { endpoint: 'ssh://ci@build:22', runtime: 'runsc' }),
        sandboxed('ccc444', { endpoint: 'unix:///var/run/docker.sock', runtime: null }),
        sandboxed('ddd555', null),
      ]),
    );
    expect(notifications.made.map((n) => n.options.body)).toEqual([
      'A command in main wants to run on this computer (host): rm -rf ~/old — click to decide',
      'A command in main wants to run on sandbox on ssh://ci@build:22, runsc: make test — click to decide',
      'A command in main wants to run on sandbox on unix:///var/run/docker.sock, the engine’s default runtime: make test — click to decide',
      'A command in main wants to run on sandbox (engine not recorded): make test — click to decide',
    ]);
  });

  it('requests waiting at start are not news; one decided anywhere is withdrawn', () => {
    const old = request('old222', 'ls');
    const { events, notifications } = setup('darwin', [old]);
    const fresh = request('new333', 'rm -r build');
    events.emit('approvals:changed', overview([old, fresh]));
    expect(notifications.made).toHaveLength(1);
    expect(notifications.open()).toHaveLength(1);
    events.emit('approvals:changed', overview([old]));
    expect(notifications.open()).toEqual([]);
  });
});
