import { lazy, Suspense, useEffect, useState } from 'react';
import { useApp } from '../state/store-context.js';
import { useQuery } from '../state/use-query.js';

import { ACTIVITY_SERIES as SERIES } from './activity-series.js';
import { formatClock } from './format.js';

// uPlot (and its stylesheet) load with the chart, not with the first paint: the chart is below
// the kill switch and the cards that say what runs, and it is drawn after its data arrives.
const Plot = lazy(() => import('./ActivityPlot.js').then((m) => ({ default: m.ActivityPlot })));

const hourLabel = formatClock;

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
      <Suspense fallback={<div className="activity-chart__plot" aria-hidden="true" />}>
        <Plot hours={hours} />
      </Suspense>
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
