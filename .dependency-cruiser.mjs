// The import rules of src-main/README.md, checked by `npm run lint` on every import, type-only
// ones included, and transitively where a rule says "reaches". test/lint/layers.test.ts plants a
// violation of each rule and checks that it fails the lint.

/**
 * The layers inside src-main, lowest first: a folder imports only from entries before its own
 * (never from a peer in the same entry). `(root)` is the files directly in src-main (the state
 * layout, the secret registry, the app's own paths and version). A folder not listed here fails
 * the lint until it is given a place.
 */
export const LAYERS = [
  ['(root)'],
  ['process', 'store', 'docker'],
  ['config'],
  ['logging'],
  ['access', 'sandbox', 'logs', 'audit', 'approvals'],
  ['gateway', 'supervisor', 'container'],
  ['doctor'],
  ['web'],
  ['cli', 'app'],
];

const folders = LAYERS.flat().filter((name) => name !== '(root)');
const pattern = (names) => `^src-main/(${names.join('|')})/`;

/** One rule per folder: nothing from its own layer (but itself) or any layer above. */
const layerRules = LAYERS.flatMap((layer, index) => {
  const above = LAYERS.slice(index + 1).flat();
  return layer.map((folder) => {
    const forbidden = [...layer.filter((peer) => peer !== folder), ...above];
    const from =
      folder === '(root)' ? { path: '^src-main/[^/]+$' } : { path: `^src-main/${folder}/` };
    return {
      name: `layer-${folder === '(root)' ? 'root' : folder}`,
      comment: `src-main/${folder === '(root)' ? '*.ts' : folder} imports only from the layers below it (src-main/README.md)`,
      severity: 'error',
      from,
      to: { path: pattern(forbidden.filter((name) => name !== '(root)')) },
    };
  });
});

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'Folders of src-main depend one way only: a cycle means two folders are really one.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src-main/' },
      to: { circular: true },
    },
    {
      name: 'no-file-cycles',
      comment: 'A module cycle is held together by load order; cut it with a module both import.',
      severity: 'error',
      from: { path: '^src-' },
      to: { circular: true },
    },
    {
      name: 'gateway-never-reaches-host',
      comment:
        'The gateway talks to the supervisor over the gateway protocol, never by import, not even through another module.',
      severity: 'error',
      from: { path: '^src-main/gateway/' },
      to: { path: '^src-main/(supervisor|web|app)/', reachable: true },
    },
    {
      name: 'only-app-imports-electron',
      comment:
        'Only src-main/app may import electron: everything else runs headless too. src-main/electron-install.ts only asks the installed package, from plain Node, where its binary is (what `require("electron")` returns there), for npm start and clawdbot doctor.',
      severity: 'error',
      from: { pathNot: '^src-main/(app/|electron-install[.]ts$)' },
      to: { path: '^(node_modules/electron/|electron$)' },
    },
    {
      name: 'shared-imports-only-zod',
      comment: 'src-shared is pure TypeScript that runs anywhere: it imports only zod and itself.',
      severity: 'error',
      from: { path: '^src-shared/' },
      to: { pathNot: '^(src-shared/|node_modules/zod/)' },
    },
    {
      name: 'renderer-never-imports-main',
      comment: 'The renderer talks to the supervisor only through the contract (api.ts).',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/' },
    },
    {
      name: 'renderer-no-node',
      comment:
        'The renderer runs in a sandboxed page: no Node built-ins, no native or Node-only modules.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: {
        path: '^node_modules/(better-sqlite3|dockerode|ws|electron|electron-log|commander)/',
      },
    },
    {
      name: 'renderer-no-node-builtins',
      comment: 'The renderer runs in a sandboxed page: no Node built-ins.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'folder-has-a-layer',
      comment:
        'Every src-main folder has a place in LAYERS (.dependency-cruiser.mjs, src-main/README.md).',
      severity: 'error',
      from: { path: '^src-main/[^/]+/', pathNot: pattern(folders) },
      to: {},
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
