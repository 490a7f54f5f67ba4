import type Docker from 'dockerode';

/** CPU and memory of a running container, from one `stats` sample. */
export interface ContainerUsage {
  /** Percent of one core (100 = one core fully busy), as `docker stats` shows it. */
  cpuPercent: number;
  /** Memory in use, page cache excluded (as `docker stats` shows it). */
  memoryBytes: number;
  /** The container's memory limit. */
  memoryLimitBytes: number;
  /** Processes and threads running. */
  pids: number;
}

/**
 * Computes usage from a non-streamed stats sample, with the `docker stats` formulas: CPU as the
 * container's share of the host's CPU time since the previous sample times the online CPUs;
 * memory minus reclaimable cache (`cache` on cgroup v1, `inactive_file` on v2).
 */
export function usageFromStats(stats: Docker.ContainerStats): ContainerUsage {
  const cpu = stats.cpu_stats;
  const pre = stats.precpu_stats;
  const cpuDelta = cpu.cpu_usage.total_usage - (pre?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  const online = cpu.online_cpus || cpu.cpu_usage.percpu_usage?.length || 1;
  const cpuPercent = cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * online * 100 : 0;
  const memStats = (stats.memory_stats.stats ?? {}) as Record<string, number | undefined>;
  const cache =
    memStats['inactive_file'] ?? memStats['total_inactive_file'] ?? memStats['cache'] ?? 0;
  const usage = stats.memory_stats.usage ?? 0;
  return {
    cpuPercent: Math.round(cpuPercent * 10) / 10,
    memoryBytes: Math.max(0, usage - cache),
    memoryLimitBytes: stats.memory_stats.limit ?? 0,
    pids: (stats as { pids_stats?: { current?: number } }).pids_stats?.current ?? 0,
  };
}
