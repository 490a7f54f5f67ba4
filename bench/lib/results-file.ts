import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { envFlag } from './env.js';
import type { RunInfo } from './machine.js';
import { resultsFile } from './paths.js';

/** What a results file starts with when a bench creates it. */
const INTRO = `# Benchmarks

Measured results of the scripts in \`bench/\`. Every figure is a median of several timed runs
(after a discarded warm-up) on the machine named in its section, and sits beside a baseline
measured in the same run, so a ratio stays meaningful on a slow or busy machine. Each bench
rewrites only its own section, between its \`<!-- name:start -->\` / \`<!-- name:end -->\` markers.
`;

/** The comment lines that fence the section of bench `name` in the results file. */
export function sectionMarkers(name: string): { start: string; end: string } {
  return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` };
}

/**
 * The heading lines every section starts with: which script, when, and on what machine. A bench
 * that is one of several behind an npm script names both (`script`); by default the section's
 * name is the script's and `bench/<name>.ts` its file.
 */
export function sectionHeading(
  name: string,
  run: RunInfo,
  script: { npm: string; file: string } = { npm: name, file: `bench/${name}.ts` },
): string[] {
  return [
    `## ${name}`,
    '',
    `Script: \`npm run bench:${script.npm}\` (\`${script.file}\`). Last run: ${run.date}.`,
    `Machine: ${run.machine}. Load average (1/5/15 min) ${run.load[0]} at the start, ${run.load[1]} at the end`,
  ];
}

/**
 * `text` with the section of bench `name` replaced by `body` (markers included), or with the
 * section appended when it has none yet. Everything outside the markers is kept byte for byte,
 * because the other benches' sections hold figures that took minutes to measure.
 */
export function replaceSection(text: string, name: string, body: string): string {
  const { start, end } = sectionMarkers(name);
  const section = `${start}\n${body}\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) return text.slice(0, from) + section + text.slice(to + end.length);
  return `${text.trimEnd()}\n\n${section}\n`;
}

/**
 * Prints the tables of a bench's section and writes the section into bench/RESULTS.md, unless
 * BENCH_NO_WRITE=1: a trial run (fewer runs, a busy machine) must not replace recorded figures.
 */
export function publishSection(name: string, body: string): void {
  console.log('');
  console.log(
    body
      .split('\n')
      .filter((l) => l.startsWith('|') || l.startsWith('###'))
      .join('\n'),
  );
  if (envFlag('BENCH_NO_WRITE')) {
    console.log('\nBENCH_NO_WRITE=1: bench/RESULTS.md left alone');
    return;
  }
  const text = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : INTRO;
  writeFileSync(resultsFile, replaceSection(text, name, body));
  console.log(`\nwrote the ${name} section of ${resultsFile}`);
}
