import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ActivityHour } from '../../src-shared/domain/activity.js';
import { ACTIVITY_SERIES as SERIES } from './activity-series.js';

/**
 * A design token's colour as the canvas needs it (tokens are CSS, light-dark() pairs a canvas
 * cannot parse; uPlot draws pixels): resolved by the browser on a probe inside `element`.
 */
function tokenColour(element: Element, token: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${token})`;
  element.appendChild(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour || 'gray';
}

/** The chart itself: uPlot on a canvas, following its box's width. */
export function ActivityPlot({ hours }: { hours: readonly ActivityHour[] }) {
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
