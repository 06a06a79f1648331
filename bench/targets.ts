/** A goal for one scenario: a least multiple of Emmett's rate, or a least rate of our own. */
export type Target = { kind: 'timesEmmett'; min: number } | { kind: 'eventsPerSecond'; min: number };

export interface Verdict {
  met: boolean;
  /** For a miss: what was reached and how far short of the target it is, e.g. "4,100/s, 18% short". */
  shortfall?: string;
}

export function describeTarget(target: Target): string {
  return target.kind === 'timesEmmett' ? `≥ ${target.min}× Emmett` : `≥ ${formatRate(target.min)}/s`;
}

export function judge(target: Target, ours: number, emmett: number): Verdict {
  const reached = target.kind === 'timesEmmett' ? ours / emmett : ours;
  if (reached >= target.min) return { met: true };
  const short = `${Math.round((1 - reached / target.min) * 100)}% short`;
  const shown = target.kind === 'timesEmmett' ? `${reached.toFixed(2)}×` : `${formatRate(reached)}/s`;
  return { met: false, shortfall: `${shown}, ${short}` };
}

export function formatRate(eventsPerSecond: number): string {
  return Math.round(eventsPerSecond).toLocaleString('en-US');
}
