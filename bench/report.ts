import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import type { Measurement } from './contender-client';
import type { Diagnostics } from './diagnostics';
import type { ContenderApi, ContenderName, Scenario } from './protocol';
import { describeTarget, formatRate, judge, type Target } from './targets';

export interface ScenarioPlan {
  label: string;
  scenario: Scenario;
  targets: Target[];
}

/** A measurement that wrote or read other than exactly the events expected, each once. */
export interface Anomaly extends Measurement {
  contender: ContenderName;
  round: number;
}

export interface ScenarioResult extends ScenarioPlan {
  /** Events each run should write, or read (the whole log). */
  events: number;
  rounds: Array<Record<ContenderName, Measurement>>;
  anomalies: Anomaly[];
}

export interface RunInfo {
  startedAt: Date;
  server: string;
  command: string;
  events: number;
  rounds: number;
  api: Record<ContenderName, ContenderApi>;
  diagnostics: Diagnostics;
}

/** Hand-written analysis of the numbers, kept next to the benchmark and copied into BENCHMARKS.md. */
const FINDINGS = join(__dirname, '..', '..', 'bench', 'findings.md');

/** Distinct events per second: events a reader delivers twice do not count twice. */
function rate(measurement: Measurement): number {
  return measurement.distinct / (measurement.milliseconds / 1000);
}

export function eventsPerSecond(measurement: Measurement): string {
  return formatRate(rate(measurement));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Summary {
  result: ScenarioResult;
  ours: number;
  emmett: number;
  misses: string[];
}

function summarise(result: ScenarioResult): Summary {
  const ours = median(result.rounds.map((round) => rate(round.ours)));
  const emmett = median(result.rounds.map((round) => rate(round.emmett)));
  const misses = result.targets.flatMap((target) => {
    const verdict = judge(target, ours, emmett);
    return verdict.met ? [] : [`${describeTarget(target)}: ${verdict.shortfall}`];
  });
  return { result, ours, emmett, misses };
}

const HEADER = ['Scenario', 'Ours (events/s)', 'Emmett (events/s)', 'Ours / Emmett', 'Target', 'Result'];
const NUMERIC = [false, true, true, true, false, false];

function cells({ result, ours, emmett, misses }: Summary): string[] {
  const targets = result.targets;
  return [
    `${result.label} (${result.events.toLocaleString('en-US')} events)`,
    formatRate(ours),
    formatRate(emmett),
    `${(ours / emmett).toFixed(2)}×`,
    targets.length === 0 ? '—' : targets.map(describeTarget).join(', '),
    targets.length === 0 ? '—' : misses.length === 0 ? 'pass' : 'miss',
  ];
}

/** A Markdown table padded into columns, so it reads the same in a terminal and in the file. */
function table(header: string[], numeric: boolean[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((line) => [...line[column]].length)));
  const line = (values: string[]) =>
    `| ${values.map((value, column) => (numeric[column] ? value.padStart(widths[column]) : value.padEnd(widths[column]))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (numeric[column] ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function verdicts(summaries: Summary[]): string[] {
  return summaries
    .filter((summary) => summary.result.targets.length > 0)
    .map(({ result, misses }) =>
      misses.length === 0
        ? `- pass: ${result.label} (${result.targets.map(describeTarget).join(', ')})`
        : `- **miss: ${result.label}**: ${misses.join('; ')}`,
    );
}

/** One line per store and scenario whose reads were not exactly the log, each event once. */
function anomalies(results: ScenarioResult[]): string[] {
  return results.flatMap((result) =>
    (['ours', 'emmett'] as const).flatMap((contender) => {
      const found = result.anomalies.filter((anomaly) => anomaly.contender === contender);
      if (found.length === 0) return [];
      const [first] = found;
      const twice = first.events - first.distinct;
      const never = result.events - first.distinct;
      return [
        `- ${contender}, ${result.label}: in ${found.length} of ${result.rounds.length} rounds not every event exactly once; ` +
          `round ${first.round} delivered ${first.events} for a log of ${result.events}: ${twice} twice, ${never} never`,
      ];
    }),
  );
}

export function renderConsole(results: ScenarioResult[]): string {
  const summaries = results.map(summarise);
  const problems = anomalies(results);
  return [
    table(HEADER, NUMERIC, summaries.map(cells)),
    '',
    ...verdicts(summaries),
    ...(problems.length > 0 ? ['', 'Reads that did not deliver every event exactly once:', ...problems] : []),
  ].join('\n');
}

export function renderMarkdown(results: ScenarioResult[], info: RunInfo): string {
  const summaries = results.map(summarise);
  const problems = anomalies(results);
  const cpu = cpus();
  const { diagnostics } = info;
  const perRound = (measurements: Measurement[]) => measurements.map(eventsPerSecond).join(' / ');
  const cpuPerEvent = (measurements: Measurement[]) =>
    formatRate(median(measurements.map((m) => (m.cpuMilliseconds * 1000) / m.distinct)));
  const roundRows = results.map((result) => [
    result.label,
    perRound(result.rounds.map((round) => round.ours)),
    perRound(result.rounds.map((round) => round.emmett)),
    cpuPerEvent(result.rounds.map((round) => round.ours)),
    cpuPerEvent(result.rounds.map((round) => round.emmett)),
  ]);
  return `## Event store: \`npm run bench:eventstore\`

Our PostgreSQL event store (libs/eventstore/src/postgres) against Emmett's
(@event-driven-io/emmett-postgresql 0.42.0) on the same PostgreSQL server, each store in a freshly
created database of its own. Written by \`npm run bench:eventstore\` (bench/eventstore.bench.ts),
which rewrites this section; the findings at its end are bench/findings.md.

Run on ${info.server}. Each scenario ran ${info.rounds} times per store, the two taking turns; the
table shows the median. Single-event append scenarios write ${info.events.toLocaleString('en-US')} events
a round, each to a new stream; reads cover the whole log the appends left.

${table(HEADER, NUMERIC, summaries.map(cells))}

### Targets

${verdicts(summaries).join('\n')}

A miss gives what was reached and how far short of the target it is; the reasons are under Findings.

### Every round

Events per second in each round, and the CPU time the store's client process spent per event (the
median round; the server's CPU is not in it).

${table(['Scenario', 'Ours, by round', 'Emmett, by round', 'Ours client CPU (µs/event)', 'Emmett client CPU (µs/event)'], [false, true, true, true, true], roundRows)}

${
  problems.length === 0
    ? 'Every read delivered every event of the log exactly once.'
    : `Reads that did not deliver every event of the log exactly once (their rate counts distinct events):\n\n${problems.join('\n')}`
}

### What each store ran

- Ours: ${Object.values(info.api.ours).join('; ')}
- Emmett: ${Object.values(info.api.emmett).join('; ')}

### Machine

- Date: ${info.startedAt.toISOString()}
- CPU: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores; load average ${loadavg().map((load) => load.toFixed(2)).join(', ')} at the end of the run
- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB
- OS: ${osType()} ${release()}
- Node: ${process.version}
- PostgreSQL: ${info.server}, on the same machine as the benchmark
- Server settings: ${Object.entries(diagnostics.settings)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ')}
- Measured on that server: round trip (\`select 1\`) ${diagnostics.roundTripMs.toFixed(3)} ms; a one-row insert committed
  on its own ${diagnostics.commitMs.toFixed(3)} ms (medians of 200)

### Command

\`\`\`sh
${info.command}
\`\`\`

${readFileSync(FINDINGS, 'utf8').trim()}
`;
}
