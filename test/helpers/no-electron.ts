// Stands in for the `electron` package in every test (see vitest.config.ts): Electron's binary
// cannot run here, so a test that loads the module at runtime is testing nothing real. The app's
// logic takes Electron as typed ports; tests hand it fakes (test/helpers/fake-electron.ts).
throw new Error('tests must not load the electron module: pass the shell a fake of its ports');
