import { Menu, Tray, nativeImage } from 'electron';
import { join } from 'node:path';
import type { StatusSnapshot } from '../../src-shared/ipc/contract.js';
import { trayModel, type TrayAction } from '../supervisor/tray-model.js';

/** The tray icon: state at a glance, and "Stop everything" one click away even if the window hangs. */
export function createTray(
  assetsDir: string,
  initial: StatusSnapshot,
  onAction: (action: TrayAction) => void,
): { update(snapshot: StatusSnapshot): void; destroy(): void } {
  const tray = new Tray(nativeImage.createFromPath(join(assetsDir, 'tray-stopped.png')));
  const update = (snapshot: StatusSnapshot): void => {
    const model = trayModel(snapshot);
    tray.setImage(nativeImage.createFromPath(join(assetsDir, `tray-${model.icon}.png`)));
    tray.setToolTip(model.tooltip);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: model.statusLine, enabled: false },
        { type: 'separator' },
        ...model.items.map((item) => ({
          label: item.label,
          enabled: item.enabled,
          click: () => onAction(item.action),
        })),
      ]),
    );
  };
  update(initial);
  return { update, destroy: () => tray.destroy() };
}
