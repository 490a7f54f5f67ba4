import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ActivityHour } from '../../src-shared/domain/activity.js';
import { ACTIVITY_SERIES as SERIES } from './activity-series.js';
import { useColourScheme } from '../state/theme.js';
import { tokenColour } from './token-colour.js';

/** The chart itself: uPlot on a canvas, following its box's width. */
export function ActivityPlot({ hours }: { hours: readonly ActivityHour[] }) {
  const box = useRef<HTMLDivElement>(null);
  // Drawn again in the new colours when the theme changes: a canvas does not restyle itself.
  const scheme = useColourScheme();
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
  }, [hours, scheme]);
  return <div ref={box} className="activity-chart__plot" aria-hidden="true" />;
}
