import { formatMs } from '../lib/format.js';
import type { RunInfo } from '../lib/machine.js';
import { figures, type BenchReport } from '../lib/report.js';
import { median } from '../lib/stats.js';
import type { Columns } from '../lib/timing.js';

/** The targets. */
export const PAINT_TARGET_MS = 300;
export const INPUT_TARGET_MS = 50;

/** The timed runs and what they ran on. */
export interface Results extends Columns<{
  busy: number;
  /** The busy state's whole app (React's shell with the dashboard) painted. */
  busyApp: number;
  empty: number;
  /**
   * The same measure on a static page holding only what it waits for, sent with the web
   * server's headers: this machine's floor.
   */
  floor: number;
  /** The floor's page without Cross-Origin-Opener-Policy (what that isolation costs). */
  floorNoCoop: number;
  streaming: number;
  quiet: number;
}> {
  run: RunInfo;
  sessions: number;
  /** Sandbox containers running for the busy state (0 when no engine answered). */
  sandboxes: number;
  /** Why the bench ran without sandboxes; null when they ran. */
  sandboxesMissing: string | null;
  eventsPerSecond: number;
  runs: number;
}

/** The ui section of RESULTS.md. */
export function benchReport(r: Results): BenchReport {
  const paint = median(r.busy);
  const input = median(r.streaming);
  return {
    name: 'ui',
    run: r.run,
    intro: [
      '(the machine is shared; absolute figures move with its load).',
      `Each figure is the median of ${r.runs} timed runs after one discarded warm-up (min–max range`,
      'beside it). Web mode (in-process headless supervisors, real SQLite seeded through the',
      'gateway’s repository) in Debian’s Chromium (headless), a fresh page per sample.',
    ],
    blocks: [
      { heading: 'Dashboard: first meaningful paint' },
      {
        text: [
          'From navigation start (the page’s clock) to the frame painted, two animation frames after',
          'the gateway’s state and an armed kill switch are on screen (the status snapshot arrived',
          'over the socket and rendered). The page’s inline first script paints them (a working',
          'kill switch, plain DOM, the few styles it needs inline too) while the HTML is still',
          'parsed, and only then asks for the app’s code; the row “whole app” times React’s shell',
          'with the dashboard in the same samples.',
          `Busy: ${r.sessions.toLocaleString('en-US')} sessions with`,
          'a transcript each and',
          r.sandboxesMissing === null
            ? `${r.sandboxes} running sandboxes (sleeping containers of the busybox test image on the engine, labelled as the busy installation’s, which the dashboard counts and lists).`
            : `no sandboxes: ${r.sandboxesMissing}, so the bench ran without them.`,
          'Baseline, same run: an empty state (same engine, no sandbox of its own). Floor, same run:',
          'a static page whose HTML already holds the gateway state and the button (no script, no',
          'socket), served by a local HTTP server with the web server’s own headers: what a fresh',
          'Chromium page costs here before any app code runs. The same page without',
          'Cross-Origin-Opener-Policy shows what that header costs a page opened blank: it moves to',
          'a process of its own. A page reached from another site moves anyway (a probe while',
          'building this: ~200 ms with or without the header), so the floor with it is the real one.',
        ],
      },
      {
        figures: figures(formatMs, [
          [`${r.sessions.toLocaleString('en-US')} sessions, ${r.sandboxes} sandboxes`, r.busy],
          ['empty state (baseline)', r.empty],
          ['bare static page, the web server’s headers (floor)', r.floor],
          ['the same page without Cross-Origin-Opener-Policy', r.floorNoCoop],
          [
            `whole app, ${r.sessions.toLocaleString('en-US')} sessions (React’s shell and dashboard)`,
            r.busyApp,
          ],
        ]),
      },
      { heading: 'Sessions view: input latency while a transcript streams' },
      {
        text: [
          `With a session’s transcript open and ${r.eventsPerSecond} events per second appended to it`,
          '(the bench process writes through the repository; the supervisor pushes each to the page),',
          'keys typed into the search box, each from its keydown timestamp to the frame after its',
          'input event (requestAnimationFrame, then a task); the run’s figure is the median of 30',
          'keys. Baseline, same run: the same typing with nothing streaming.',
        ],
      },
      {
        figures: figures(formatMs, [
          [`${r.eventsPerSecond} events/s streaming`, r.streaming],
          ['nothing streaming (baseline)', r.quiet],
        ]),
      },
      {
        targets: [
          {
            target: `first meaningful paint with ${r.sessions} sessions and ${r.sandboxes} sandboxes < ${PAINT_TARGET_MS} ms`,
            measured: `${formatMs(paint)} ms`,
            pass: paint < PAINT_TARGET_MS,
          },
          {
            target: `input latency at ${r.eventsPerSecond} events/s < ${INPUT_TARGET_MS} ms`,
            measured: `${formatMs(input)} ms`,
            pass: input < INPUT_TARGET_MS,
          },
        ],
      },
    ],
  };
}
