import { cpus, loadavg, release, totalmem } from 'node:os';

/**
 * One line naming the machine a bench ran on, with `extras` (engine versions) appended. Absolute
 * figures only mean something beside it: the benches run on shared, differently sized machines.
 */
export function describeMachine(...extras: string[]): string {
  const cpu = cpus();
  return [
    `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'})`,
    `${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    `Linux ${release()}`,
    `Node ${process.versions.node}`,
    ...extras,
  ].join(', ');
}

/** The 1/5/15-minute load averages as `1.0 / 2.0 / 3.0`. */
export function formatLoad(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
}

/** What a section says about the run it reports: the machine, the load, when it ended. */
export interface RunInfo {
  machine: string;
  /** The 1/5/15-minute load averages at the start and the end. */
  load: [string, string];
  date: string;
}

/**
 * The machine and its load averages at a bench's start and end. Recorded beside the figures
 * because on a shared machine the load, not the code, can explain a slow run.
 */
export class RunRecord {
  private readonly loadAtStart = formatLoad();
  private readonly startOneMinute = loadavg()[0]!;

  constructor(readonly machine: string) {}

  /** The progress-log line naming the machine and its load at the start. */
  describe(): string {
    return `machine: ${this.machine}; load average ${this.loadAtStart}`;
  }

  /** The run as the section heading reports it, with the load and the time now (the end). */
  finish(): RunInfo {
    return {
      machine: this.machine,
      load: [this.loadAtStart, formatLoad()],
      date: new Date().toISOString(),
    };
  }

  /**
   * Whether the 1-minute load exceeded the core count at the start or now: then a
   * single-threaded bench had to share its core, and its absolute rates understate an idle one.
   */
  aboveCores(): boolean {
    return Math.max(this.startOneMinute, loadavg()[0]!) > cpus().length;
  }
}
