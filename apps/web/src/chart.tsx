import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
}

/**
 * A line chart (uPlot, about 50 KB) over days. The canvas is a picture to a screen reader, so
 * the same numbers are also in a table under it, for keyboards and screen readers alike.
 */
export function DayChart({ title, days, series }: { title: string; days: string[]; series: ChartSeries[] }) {
  const target = useRef<HTMLDivElement>(null);
  const captionId = useId();
  useEffect(() => {
    const element = target.current;
    if (!element || days.length === 0) return;
    const widthOf = () => Math.max(240, Math.min(element.clientWidth || 600, 900));
    const plot = new uPlot(
      {
        width: widthOf(),
        height: 260,
        scales: { x: { time: true } },
        axes: [{ stroke: '#333' }, { stroke: '#333', size: 70 }],
        series: [{ label: 'Day', value: (_u, v) => (v == null ? '' : new Date(v * 1000).toISOString().slice(0, 10)) }, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: true } }))],
      },
      [days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000), ...series.map((s) => s.values)],
      element,
    );
    // Follows its container's width (a phone turned, a window resized).
    const resize = new ResizeObserver(() => plot.setSize({ width: widthOf(), height: 260 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days, series]);
  return (
    <figure className="chart" aria-labelledby={captionId}>
      <figcaption id={captionId}>{title}</figcaption>
      {days.length === 0 ? <p className="empty">No data for this range.</p> : <div ref={target} role="img" aria-label={`${title}: chart, the same figures are in the table below`} />}
      {days.length > 0 && (
        <details>
          <summary>The figures as a table</summary>
          <div className="table-wrap" tabIndex={0} role="region" aria-label={`${title}, figures`}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  {series.map((s) => (
                    <th key={s.label} scope="col" className="num">
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {days.map((day, index) => (
                  <tr key={day}>
                    <td>{day}</td>
                    {series.map((s) => (
                      <td key={s.label} className="num">
                        {s.values[index] ?? '—'}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </figure>
  );
}
