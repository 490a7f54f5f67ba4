import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ActivityHour } from '../../src-shared/domain/activity.js';
import { useApp } from '../state/store-context.js';
import { useQuery } from '../state/use-query.js';
import { tokenColour } from './token-colour.js';

const SERIES = [
  { key: 'messages', label: 'Messages', token: '--accent' },
  { key: 'toolCalls', label: 'Tool calls', token: '--ok' },
  { key: 'blocked', label: 'Blocked', token: '--danger' },
] as const;

const hourLabel = (start: number): string =>
  new Date(start).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

function Plot({ hours }: { hours: readonly ActivityHour[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const fg = tokenColour(element, '--muted');
    const grid = tokenColour(element, '--border');
    const plot = new uPlot(
      {
        width: Math.max(element.clientWidth, 280),
        height: 180,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [
          { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
          { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
        ],
        series: [
          {},
          ...SERIES.map((s) => ({
            label: s.label,
            // Lines, not bars: three series share each hour, and bars would hide each other.
            stroke: tokenColour(element, s.token),
            width: 2,
          })),
        ],
      },
      [hours.map((h) => h.start / 1000), ...SERIES.map((s) => hours.map((h) => h[s.key]))],
      element,
    );
    // Wide screens use their width: the chart follows its box.
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(element.clientWidth, 280), height: 180 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [hours]);
  return <div ref={box} className="activity-chart__plot" aria-hidden="true" />;
}

/**
 * The last 24 hours by hour: messages in, tool calls, and attempts blocked (strangers held for
 * pairing, pairing rejected, elevation refused). Drawn with uPlot; the same numbers are in a
 * table for screen readers, since a canvas says nothing. Read again when the gateway state or
 * the pending lists change, and every five minutes.
 */
export function ActivityChart() {
  const pulse = useApp((s) => `${s.snapshot?.gateway.state}:${s.pending?.length}`);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), 300_000);
    return () => clearInterval(timer);
  }, []);
  const hours = useQuery('activity:day', {}, `${pulse}:${tick}`);
  if (!hours) return null;
  const totals = SERIES.map((s) => hours.reduce((sum, h) => sum + h[s.key], 0));
  return (
    <section
      className="card dashboard__wide activity-chart"
      aria-labelledby="activity-title"
      data-testid="activity-chart"
    >
      <header className="card__header">
        <h2 id="activity-title">Last 24 hours</h2>
        <span className="muted" data-testid="activity-totals">
          {SERIES.map((s, i) => `${totals[i]} ${s.label.toLowerCase()}`).join(' · ')}
        </span>
      </header>
      <Plot hours={hours} />
      <table className="visually-hidden">
        <caption>Activity by hour</caption>
        <thead>
          <tr>
            <th scope="col">Hour</th>
            {SERIES.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {hours.map((h) => (
            <tr key={h.start}>
              <th scope="row">{hourLabel(h.start)}</th>
              {SERIES.map((s) => (
                <td key={s.key}>{h[s.key]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
