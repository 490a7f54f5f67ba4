/** The version shown by `clawdbot --version` and reported by the gateway. */
export const APP_VERSION = '0.1.0';
