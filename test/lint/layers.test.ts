import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layer rules `npm run lint` enforces (.dependency-cruiser.mjs), each shown to fail on a
 * planted violation: small fake projects with the real folder names, cruised with the real rule
 * set, so a rule that stops matching (a renamed folder, a typo in a pattern) fails here.
 */

const repo = resolve(import.meta.dirname, '..', '..');
const CONFIG_FILE = '.dependency-cruiser.mjs';

interface RuleSet {
  config: IConfiguration;
  layers: string[][];
}

let rules: RuleSet;
beforeAll(async () => {
  const module = (await import(pathToFileURL(join(repo, CONFIG_FILE)).href)) as {
    default: IConfiguration;
    LAYERS: string[][];
  };
  rules = { config: module.default, layers: module.LAYERS };
});

const fixtures: string[] = [];
afterEach(() => {
  for (const dir of fixtures.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Source files by path; an import is written as a side-effect import of its target. */
type Tree = Record<string, string[]>;

// A clean project: one module per layer, each importing one from the layer below, the shell
// importing electron and the shared code importing zod.
const CLEAN: Tree = {
  'src-main/state-layout.ts': [],
  'src-main/store/repo.ts': ['../state-layout.js'],
  'src-main/config/service.ts': ['../store/repo.js'],
  'src-main/logging/logger.ts': ['../config/service.js'],
  'src-main/sandbox/manager.ts': ['../logging/logger.js'],
  'src-main/gateway/core.ts': ['../sandbox/manager.js', '../../src-shared/domain.js'],
  'src-main/supervisor/host.ts': ['../sandbox/manager.js'],
  'src-main/web/server.ts': ['../supervisor/host.js'],
  'src-main/app/main.ts': ['electron', '../web/server.js'],
  'src-shared/domain.ts': ['zod'],
  'src-renderer/api.ts': ['../src-shared/domain.js'],
};

// Stand-ins for the packages the rules name, so the fixture resolves them as the repo does.
const PACKAGES = ['electron', 'zod', 'ws'];

function writeTree(root: string, tree: Tree): void {
  for (const [path, imports] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    const lines = imports.map((target) => `import '${target}';`);
    writeFileSync(join(root, path), `${lines.join('\n')}\nexport const here = '${path}';\n`);
  }
}

function fixture(extra: Tree): string {
  const root = mkdtempSync(join(tmpdir(), 'clawdbot-layers-'));
  fixtures.push(root);
  const tree: Tree = { ...CLEAN };
  for (const [path, imports] of Object.entries(extra))
    tree[path] = [...(tree[path] ?? []), ...imports];
  writeTree(root, tree);
  for (const name of PACKAGES) {
    const dir = join(root, 'node_modules', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
    writeFileSync(join(dir, 'index.js'), 'module.exports = {};\n');
  }
  writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  copyFileSync(join(repo, 'tsconfig.json'), join(root, 'tsconfig.json'));
  copyFileSync(join(repo, CONFIG_FILE), join(root, CONFIG_FILE));
  return root;
}

interface Violation {
  rule: string;
  from: string;
  to: string;
}

async function violations(root: string): Promise<Violation[]> {
  const { forbidden, options } = rules.config;
  const result = await cruise(['src-main', 'src-shared', 'src-renderer'], {
    ...options,
    baseDir: root,
    validate: true,
    ruleSet: { forbidden },
  });
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

/** The folder a layer rule is about, and one import it must refuse. */
function plantedLayerViolations(layers: string[][]): { rule: string; tree: Tree }[] {
  return layers.flatMap((layer, index) =>
    layer.map((folder) => {
      const peerOrAbove = [...layer.filter((f) => f !== folder), ...layers.slice(index + 1).flat()];
      const target = peerOrAbove.find((f) => f !== '(root)')!;
      const from = folder === '(root)' ? 'src-main/planted.ts' : `src-main/${folder}/planted.ts`;
      const spec = folder === '(root)' ? `./${target}/target.js` : `../${target}/target.js`;
      return {
        rule: `layer-${folder === '(root)' ? 'root' : folder}`,
        tree: { [from]: [spec], [`src-main/${target}/target.ts`]: [] },
      };
    }),
  );
}

describe('the layer rules of npm run lint', () => {
  it('pass a project that keeps every rule', async () => {
    expect(await violations(fixture({}))).toEqual([]);
  });

  it('are the layers the README describes, in its order', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Layout'));
    const items = [...section.matchAll(/^\d+\. (.*(?:\n {3}.*)*)/gm)].map((match) => [
      ...new Set(
        [...match[1]!.matchAll(/`([^`]+)`/g)]
          .map((code) => code[1]!)
          .filter((code) => code === 'src-main/*.ts' || /^[a-z]+\/$/.test(code))
          .map((code) => (code === 'src-main/*.ts' ? '(root)' : code.slice(0, -1))),
      ),
    ]);
    expect(items).toEqual(rules.layers);
  });

  it('give every src-main folder of the repository a layer', () => {
    const listed = new Set(rules.layers.flat());
    const folders = readdirNames(join(repo, 'src-main'));
    expect(folders.filter((f) => !listed.has(f))).toEqual([]);
  });

  it('fail a folder importing from its own layer or one above, naming the folder', async () => {
    for (const { rule, tree } of plantedLayerViolations(rules.layers)) {
      const found = await violations(fixture(tree));
      const [from] = Object.keys(tree);
      expect(found, rule).toContainEqual(expect.objectContaining({ rule, from }));
    }
  });

  it.each<{ rule: string; tree: Tree; from: string }>([
    {
      rule: 'no-folder-cycles',
      tree: {
        'src-main/store/a.ts': ['../process/b.js'],
        'src-main/process/b.ts': ['../store/a.js'],
      },
      from: 'src-main/store',
    },
    {
      rule: 'no-file-cycles',
      tree: { 'src-main/store/a.ts': ['./b.js'], 'src-main/store/b.ts': ['./a.js'] },
      from: 'src-main/store/a.ts',
    },
    {
      // Through a module the gateway may import: the rule follows imports transitively.
      rule: 'gateway-never-reaches-host',
      tree: {
        'src-main/store/repo.ts': ['../supervisor/host.js'],
      },
      from: 'src-main/gateway/core.ts',
    },
    {
      rule: 'only-app-imports-electron',
      tree: { 'src-main/supervisor/host.ts': ['electron'] },
      from: 'src-main/supervisor/host.ts',
    },
    {
      rule: 'shared-imports-only-zod',
      tree: { 'src-shared/domain.ts': ['ws'] },
      from: 'src-shared/domain.ts',
    },
    {
      rule: 'shared-imports-only-zod',
      tree: { 'src-shared/domain.ts': ['node:fs'] },
      from: 'src-shared/domain.ts',
    },
    {
      rule: 'shared-imports-only-zod',
      tree: { 'src-shared/domain.ts': ['../src-main/state-layout.js'] },
      from: 'src-shared/domain.ts',
    },
    {
      rule: 'renderer-never-imports-main',
      tree: { 'src-renderer/api.ts': ['../src-main/state-layout.js'] },
      from: 'src-renderer/api.ts',
    },
    {
      rule: 'renderer-no-node',
      tree: { 'src-renderer/api.ts': ['ws'] },
      from: 'src-renderer/api.ts',
    },
    {
      rule: 'renderer-no-node-builtins',
      tree: { 'src-renderer/api.ts': ['node:path'] },
      from: 'src-renderer/api.ts',
    },
    {
      rule: 'folder-has-a-layer',
      tree: { 'src-main/newcomer/thing.ts': ['../state-layout.js'] },
      from: 'src-main/newcomer/thing.ts',
    },
  ])('fail $rule, naming $from', async ({ rule, tree, from }) => {
    const found = await violations(fixture(tree));
    expect(found).toContainEqual(expect.objectContaining({ rule, from }));
  });

  it('run as `npm run lint` runs them: a planted violation exits non-zero and names the rule', async () => {
    const scripts = (
      JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts['lint']).toMatch(/&& npm run lint:layers$/);
    const root = fixture({ 'src-main/gateway/core.ts': ['../supervisor/host.js'] });
    const run = promisify(execFile)('sh', ['-c', scripts['lint:layers']!], {
      cwd: root,
      env: { ...process.env, PATH: `${join(repo, 'node_modules', '.bin')}:${process.env['PATH']}` },
    });
    const failure = (await run.then(
      () => null,
      (error: unknown) => error,
    )) as { code: number; stdout: string } | null;
    expect(failure?.code).toBeGreaterThan(0);
    expect(failure?.stdout).toContain('error layer-gateway: src-main/gateway/core.ts');
    expect(failure?.stdout).toContain('error gateway-never-reaches-host: src-main/gateway/core.ts');
  });
});

function readdirNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}
