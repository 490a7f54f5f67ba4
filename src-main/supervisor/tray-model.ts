import type { PairingRequest } from '../../src-shared/domain/access.js';
import type { ApprovalRequest } from '../../src-shared/domain/approvals.js';
import { approvalRunsOn } from '../../src-shared/format/approval-runs-on.js';
import { revealedText } from '../../src-shared/approvals/reveal-command.js';
import { providerName, senderLabel } from '../../src-shared/domain/pairing-display.js';
import type { GatewayStatus } from '../../src-shared/domain/gateway.js';
import type { StatusSnapshot } from '../../src-shared/ipc/contract.js';

/** The four faces of the tray icon. */
export type TrayIcon = 'running' | 'stopped' | 'engaged' | 'crashed';

/** A tray menu action. */
export type TrayAction = 'kill' | 'start' | 'restart' | 'show' | 'logs' | 'quit';

/** Pairing requests waiting for the owner, as the tray menu lists them. */
export interface TrayPairing {
  /** A disabled line such as "2 pairing requests waiting". */
  line: string;
  /** One entry per request; choosing it opens the window on that request's approve dialog. */
  requests: { requestId: string; label: string }[];
}

/** Commands waiting for the owner's approval, as the tray menu lists them. */
export interface TrayApprovals {
  /** A disabled line such as "2 commands waiting for approval". */
  line: string;
  /** One entry per request; choosing it opens the window, where its dialog is shown. */
  requests: { requestId: string; label: string }[];
}

/** What the tray shows, computed without Electron so it can be tested. */
export interface TrayModel {
  icon: TrayIcon;
  tooltip: string;
  /** Text beside the icon in the macOS menu bar: the number of requests waiting, or nothing. */
  title: string;
  statusLine: string;
  /** Null when no one is waiting. */
  pairing: TrayPairing | null;
  /** Null when no command is waiting. */
  approvals: TrayApprovals | null;
  items: { action: TrayAction; label: string; enabled: boolean }[];
}

/** A desktop notification's text. */
export interface TrayNotice {
  title: string;
  body: string;
}

/**
 * The notification for a gateway that gave up restarting (its crash loop ended in `crashed`),
 * or null: only the step into `crashed` is news, not every status while it stays there. The
 * gateway's own message is left out: it can quote what the process printed, and a notification
 * shows on a locked screen.
 */
export function crashNotice(
  previous: GatewayStatus | null,
  next: GatewayStatus,
): TrayNotice | null {
  if (next.state !== 'crashed' || previous?.state === 'crashed') return null;
  const exit = next.lastExit;
  const how = exit
    ? exit.signal
      ? ` (last exit: signal ${exit.signal})`
      : exit.code !== null
        ? ` (last exit: code ${exit.code})`
        : ''
    : '';
  return {
    title: 'Clawdbot: gateway crashed',
    body: `The gateway kept crashing and was not restarted again${how}. Open Clawdbot to see its logs.`,
  };
}

/** The desktop notification for a new request. */
export function pairingNotice(request: PairingRequest): TrayNotice {
  return {
    title: 'Clawdbot: pairing request',
    body: `Pairing request on ${providerName(request.provider)} from ${senderLabel(request)} — click to review`,
  };
}

function trayPairing(pending: readonly PairingRequest[]): TrayPairing | null {
  if (pending.length === 0) return null;
  return {
    line: `${pending.length} pairing request${pending.length === 1 ? '' : 's'} waiting`,
    requests: pending.map((request) => ({
      requestId: request.id,
      label: `Review ${senderLabel(request)} on ${providerName(request.provider)}…`,
    })),
  };
}

/**
 * The desktop notification for a command waiting for approval; `withButtons` where the platform
 * shows its Allow once / Allow always / Deny buttons. Where it runs is the engine and runtime
 * recorded with the request (as the window, the CLI and the owner's chat say it), not merely
 * "sandbox": the owner may be deciding about a remote engine's command.
 */
export function approvalNotice(request: ApprovalRequest, withButtons = false): TrayNotice {
  return {
    title: 'Clawdbot: approval needed',
    body: `A command in ${request.sessionKey} wants to run on ${approvalRunsOn(request)}: ${revealedText(request.command).slice(0, 120)} — ${withButtons ? 'answer here, or click to see it in full' : 'click to decide'}`,
  };
}

function trayApprovals(waiting: readonly ApprovalRequest[]): TrayApprovals | null {
  if (waiting.length === 0) return null;
  return {
    line: `${waiting.length} command${waiting.length === 1 ? '' : 's'} waiting for approval`,
    requests: waiting.map((request) => {
      const command = revealedText(request.command);
      return {
        requestId: request.id,
        label: `Decide: ${command.length > 50 ? `${command.slice(0, 49)}…` : command} (${request.sessionKey}) on ${approvalRunsOn(request)}…`,
      };
    }),
  };
}

/**
 * The tray icon, tooltip and menu for a status snapshot, the pairing requests waiting and the
 * commands waiting for approval.
 */
export function trayModel(
  { gateway, killSwitch }: Pick<StatusSnapshot, 'gateway' | 'killSwitch'>,
  pending: readonly PairingRequest[] = [],
  waiting: readonly ApprovalRequest[] = [],
): TrayModel {
  let icon: TrayIcon;
  let statusLine: string;
  if (killSwitch.engaged) {
    icon = 'engaged';
    statusLine = `Kill switch engaged: ${killSwitch.reason ?? 'no reason given'}`;
  } else if (gateway.state === 'crashed') {
    icon = 'crashed';
    statusLine = 'Gateway crashed';
  } else if (gateway.state === 'running' || gateway.state === 'starting') {
    icon = 'running';
    statusLine =
      gateway.state === 'running'
        ? `Gateway running (pid ${gateway.pid ?? '?'})`
        : 'Gateway starting…';
  } else {
    icon = 'stopped';
    statusLine = gateway.state === 'stopping' ? 'Gateway stopping…' : 'Gateway stopped';
  }
  const live = gateway.state === 'running' || gateway.state === 'starting';
  const pairing = trayPairing(pending);
  const approvals = trayApprovals(waiting);
  const count = pending.length + waiting.length;
  return {
    icon,
    tooltip: `Clawdbot — ${statusLine}${pairing ? ` · ${pairing.line}` : ''}${approvals ? ` · ${approvals.line}` : ''}`,
    title: count > 0 ? String(count) : '',
    statusLine,
    pairing,
    approvals,
    items: [
      { action: 'kill', label: 'Stop everything (kill switch)', enabled: true },
      live
        ? { action: 'restart', label: 'Restart gateway', enabled: !killSwitch.engaged }
        : { action: 'start', label: 'Start gateway', enabled: !killSwitch.engaged },
      { action: 'show', label: 'Show window', enabled: true },
      { action: 'logs', label: 'Open logs', enabled: true },
      { action: 'quit', label: 'Quit', enabled: true },
    ],
  };
}
