import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { PairingRequest } from '../../src-shared/domain/access.js';
import type { StatusSnapshot } from '../../src-shared/ipc/contract.js';
import { trayModel, type TrayAction } from '../supervisor/tray-model.js';

/** What the tray's menu can ask for. */
export interface TrayHandlers {
  onAction(action: TrayAction): void;
  /** Open the window on this request's approve dialog. */
  onReview(requestId: string): void;
}

/**
 * The tray icon: state at a glance, strangers waiting for an answer, and "Stop everything" one
 * click away even if the window hangs.
 */
export function createTray(
  assetsDir: string,
  initial: { snapshot: StatusSnapshot; pending: readonly PairingRequest[] },
  handlers: TrayHandlers,
): {
  update(snapshot: StatusSnapshot, pending: readonly PairingRequest[]): void;
  destroy(): void;
} {
  const tray = new Tray(nativeImage.createFromPath(join(assetsDir, 'tray-stopped.png')));
  const update = (snapshot: StatusSnapshot, pending: readonly PairingRequest[]): void => {
    const model = trayModel(snapshot, pending);
    tray.setImage(nativeImage.createFromPath(join(assetsDir, `tray-${model.icon}.png`)));
    tray.setToolTip(model.tooltip);
    // macOS shows text beside a menu-bar icon; elsewhere the tooltip carries the count.
    if (process.platform === 'darwin') tray.setTitle(model.title);
    const pairing: MenuItemConstructorOptions[] = model.pairing
      ? [
          { label: model.pairing.line, enabled: false },
          ...model.pairing.requests.map((request) => ({
            label: request.label,
            click: () => handlers.onReview(request.requestId),
          })),
          { type: 'separator' },
        ]
      : [];
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: model.statusLine, enabled: false },
        { type: 'separator' },
        ...pairing,
        ...model.items.map((item) => ({
          label: item.label,
          enabled: item.enabled,
          click: () => handlers.onAction(item.action),
        })),
      ]),
    );
  };
  update(initial.snapshot, initial.pending);
  return { update, destroy: () => tray.destroy() };
}
