import { join } from 'node:path';
import type { PairingRequest } from '../../src-shared/domain/access.js';
import type { StatusSnapshot } from '../../src-shared/ipc/contract.js';
import type { ApprovalRequest } from '../../src-shared/domain/approvals.js';
import { trayModel, type TrayAction } from '../supervisor/tray-model.js';

/** One entry of the tray's menu (a subset of Electron's `MenuItemConstructorOptions`). */
export interface TrayMenuItem {
  label?: string;
  enabled?: boolean;
  type?: 'separator';
  click?: () => void;
}

/** The tray icon as the shell drives it (Electron's `Tray`, given image paths). */
export interface TrayIcon {
  setImage(imagePath: string): void;
  setToolTip(text: string): void;
  /** macOS shows it beside the icon in the menu bar. */
  setTitle(text: string): void;
  setMenu(items: TrayMenuItem[]): void;
  destroy(): void;
}

/** Makes the tray icon (Electron: `new Tray(nativeImage.createFromPath(…))`). */
export type TrayFactory = (imagePath: string) => TrayIcon;

/** What the tray's menu can ask for. */
export interface TrayHandlers {
  onAction(action: TrayAction): void;
  /** Open the window on this request's approve dialog. */
  onReview(requestId: string): void;
  /** Open the window, where the approval dialog shows the waiting command. */
  onApproval?(requestId: string): void;
}

/** The tray's menu for a model: status, the requests waiting, then the actions. */
export function trayMenu(
  model: ReturnType<typeof trayModel>,
  handlers: TrayHandlers,
): TrayMenuItem[] {
  const pairing: TrayMenuItem[] = model.pairing
    ? [
        { label: model.pairing.line, enabled: false },
        ...model.pairing.requests.map((request) => ({
          label: request.label,
          click: () => handlers.onReview(request.requestId),
        })),
        { type: 'separator' },
      ]
    : [];
  const approvals: TrayMenuItem[] = model.approvals
    ? [
        { label: model.approvals.line, enabled: false },
        ...model.approvals.requests.map((request) => ({
          label: request.label,
          click: () => handlers.onApproval?.(request.requestId),
        })),
        { type: 'separator' },
      ]
    : [];
  return [
    { label: model.statusLine, enabled: false },
    { type: 'separator' },
    ...approvals,
    ...pairing,
    ...model.items.map((item) => ({
      label: item.label,
      enabled: item.enabled,
      click: () => handlers.onAction(item.action),
    })),
  ];
}

/** What the tray shows of the supervisor's status. */
export type TraySnapshot = Pick<StatusSnapshot, 'gateway' | 'killSwitch'>;

/** A tray icon kept in step with the supervisor. */
export interface Tray {
  update(
    snapshot: TraySnapshot,
    pending: readonly PairingRequest[],
    waiting?: readonly ApprovalRequest[],
  ): void;
  destroy(): void;
}

/**
 * The tray icon: state at a glance, strangers waiting for an answer, and "Stop everything" one
 * click away even if the window hangs.
 */
export function createTray(
  create: TrayFactory,
  options: { assetsDir: string; platform: NodeJS.Platform },
  initial: { snapshot: TraySnapshot; pending: readonly PairingRequest[] },
  handlers: TrayHandlers,
): Tray {
  const icon = (name: string): string => join(options.assetsDir, `tray-${name}.png`);
  const tray = create(icon('stopped'));
  const update = (
    snapshot: TraySnapshot,
    pending: readonly PairingRequest[],
    waiting: readonly ApprovalRequest[] = [],
  ): void => {
    const model = trayModel(snapshot, pending, waiting);
    tray.setImage(icon(model.icon));
    tray.setToolTip(model.tooltip);
    // macOS shows text beside a menu-bar icon; elsewhere the tooltip carries the count.
    if (options.platform === 'darwin') tray.setTitle(model.title);
    tray.setMenu(trayMenu(model, handlers));
  };
  update(initial.snapshot, initial.pending);
  return { update, destroy: () => tray.destroy() };
}
