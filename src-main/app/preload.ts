import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadBridge } from './preload-bridge.js';

// Sandboxed preload: exposes exactly `invoke` and `on` for channels in the contract table.
contextBridge.exposeInMainWorld('clawdbot', createPreloadBridge(ipcRenderer));
