import type { StatusSnapshot } from '../../src-shared/ipc/contract.js';

/** The four faces of the tray icon. */
export type TrayIcon = 'running' | 'stopped' | 'engaged' | 'crashed';

/** A tray menu action. */
export type TrayAction = 'kill' | 'start' | 'restart' | 'show' | 'quit';

/** What the tray shows, computed without Electron so it can be tested. */
export interface TrayModel {
  icon: TrayIcon;
  tooltip: string;
  statusLine: string;
  items: { action: TrayAction; label: string; enabled: boolean }[];
}

/** The tray icon, tooltip and menu for a status snapshot. */
export function trayModel({ gateway, killSwitch }: StatusSnapshot): TrayModel {
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
  return {
    icon,
    tooltip: `Clawdbot — ${statusLine}`,
    statusLine,
    items: [
      { action: 'kill', label: 'Stop everything (kill switch)', enabled: true },
      live
        ? { action: 'restart', label: 'Restart gateway', enabled: !killSwitch.engaged }
        : { action: 'start', label: 'Start gateway', enabled: !killSwitch.engaged },
      { action: 'show', label: 'Show window', enabled: true },
      { action: 'quit', label: 'Quit', enabled: true },
    ],
  };
}
