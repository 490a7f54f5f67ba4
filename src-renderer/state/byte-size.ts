const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Bytes in binary units, three significant figures or so: `512 B`, `12.3 MiB`, `1.50 GiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${value} B`;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** CPU as Docker reports it (100 = one core busy): `0.4 %`, `37 %`, `210 %`. */
export function formatCpu(percent: number): string {
  if (!Number.isFinite(percent)) return '—';
  return percent >= 10 ? `${percent.toFixed(0)} %` : `${percent.toFixed(1)} %`;
}
