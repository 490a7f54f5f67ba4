import { useEffect, useRef } from 'react';
// Imported, not loaded lazily: the dashboard's chart already brings uPlot with the window, so
// a dynamic import would split nothing off (and the build warns about it).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { UsageDay } from '../../src-shared/domain/usage-history.js';
import { formatCount } from './format.js';
import { useColourScheme } from '../state/theme.js';
import { tokenColour } from './token-colour.js';

/** A local day's noon in seconds: where uPlot puts that day's bar (never on a DST edge). */
const dayNoon = (day: string): number => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12).getTime() / 1000;
};

const HEIGHT = 220;

function Plot(props: { days: readonly UsageDay[]; budget: number | null }) {
  const box = useRef<HTMLDivElement>(null);
  // Drawn again in the new colours when the theme changes: a canvas does not restyle itself.
  const scheme = useColourScheme();
  const { days, budget } = props;
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const fg = tokenColour(element, '--muted');
    const grid = tokenColour(element, '--border');
    const accent = tokenColour(element, '--accent');
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const width = () => Math.max(element.clientWidth, 280);
    const series: uPlot.Series[] = [
      {},
      {
        label: 'Tokens',
        stroke: accent,
        fill: accent,
        paths: uPlot.paths.bars?.({ size: [0.7, 48] }),
        points: { show: false },
        scale: 'tokens',
      },
      {
        label: 'Messages',
        stroke: tokenColour(element, '--fg'),
        width: 2,
        scale: 'count',
      },
      {
        label: 'Tool calls',
        stroke: tokenColour(element, '--muted'),
        width: 2,
        dash: [6, 4],
        scale: 'count',
      },
    ];
    const data: uPlot.AlignedData = [
      days.map((d) => dayNoon(d.day)),
      days.map((d) => d.tokens),
      days.map((d) => d.messages),
      days.map((d) => d.toolCalls),
    ];
    if (budget !== null) {
      series.push({
        label: 'Everyone’s daily budget',
        stroke: tokenColour(element, '--warn'),
        width: 1,
        dash: [2, 4],
        points: { show: false },
        scale: 'tokens',
      });
      data.push(days.map(() => budget));
    }
    const plot = new uPlot(
      {
        width: width(),
        height: HEIGHT,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, tokens: { range: (_u, _min, max) => [0, max || 1] } },
        axes: [
          axis,
          { ...axis, scale: 'tokens', values: (_u, ticks) => ticks.map(formatCount), size: 70 },
          { ...axis, scale: 'count', side: 1, grid: { show: false } },
        ],
        series,
      },
      data,
      element,
    );
    // Wide screens use their width: the chart follows its box.
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days, budget, scheme]);
  return <div ref={box} className="usage-chart__plot" aria-hidden="true" />;
}

/**
 * Use per local day over the range: tokens as bars (with everyone's daily budget when one is
 * set), messages and tool calls as lines. Drawn with uPlot; the same numbers are in a table for
 * screen readers, since a canvas says nothing.
 */
export function UsageHistoryChart(props: { days: readonly UsageDay[]; budget: number | null }) {
  return (
    <div className="usage-chart" data-testid="usage-chart">
      <Plot days={props.days} budget={props.budget} />
      <table className="visually-hidden">
        <caption>Usage by day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Tokens</th>
            <th scope="col">Messages</th>
            <th scope="col">Tool calls</th>
          </tr>
        </thead>
        <tbody>
          {props.days.map((d) => (
            <tr key={d.day}>
              <th scope="row">{d.day}</th>
              <td>{d.tokens}</td>
              <td>{d.messages}</td>
              <td>{d.toolCalls}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
