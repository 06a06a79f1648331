import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { BENCHMARKS_FILE } from './benchmarks-file';

/** A benchmark setting from the environment: a positive whole number, or its default. */
export function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, not "${raw}"`);
  return value;
}

/** mulberry32: a small seeded generator (0 <= n < 1), so every run of a benchmark sends the same load. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Where results go: BENCHMARKS.md, unless BENCH_RESULTS_FILE says otherwise (the smoke test's scratch file). */
export function resultsFile(): string {
  return process.env.BENCH_RESULTS_FILE || BENCHMARKS_FILE;
}

/** How this run was started (the settings that were given, with any password masked), to repeat it. */
export function commandLine(script: string, settings: readonly string[]): string {
  const given: string[] = [];
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    given.push(`DATABASE_URL=${url.toString()}`);
  }
  for (const name of settings) {
    if (process.env[name]) given.push(`${name}=${process.env[name]}`);
  }
  return [...given, `npm run ${script}`].join(' ');
}

export function formatLoad(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(', ');
}

/** The machine, for the "Machine" list of a BENCHMARKS.md section. */
export function machineLines(startedAt: Date, server: string): string[] {
  const cpu = cpus();
  return [
    `- Date: ${startedAt.toISOString()}`,
    `- CPU: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores; load average ${formatLoad()} at the end of the run (1, 5, 15 min)`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- OS: ${osType()} ${release()}`,
    `- Node: ${process.version}`,
    `- PostgreSQL: ${server}, on the same machine`,
  ];
}

/**
 * The end of a benchmark's section of BENCHMARKS.md: its goals, the machine, the command that
 * repeats the run (`settings`: the environment variables it shows when given) and the findings
 * of bench/<id>-findings.md.
 */
export function sectionEnd(end: { id: string; script: string; settings: readonly string[]; goals: readonly string[]; startedAt: Date; server: string }): string {
  return `### Goals

${end.goals.join('\n')}

### Machine

${machineLines(end.startedAt, end.server).join('\n')}

### Command

\`\`\`sh
${commandLine(end.script, end.settings)}
\`\`\`

${findings(end.id)}`;
}

/** A markdown table with right-aligned numeric columns. */
export function markdownTable(header: readonly string[], numeric: readonly boolean[], rows: readonly string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (numeric[i] ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The value at `fraction` (0..1) of sorted `values`, nearest rank. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

/**
 * The hand-written part of a benchmark's section (what was optimised, before and after, what
 * bounds a missed target): bench/<id>-findings.md, copied under the generated tables.
 */
export function findings(id: string): string {
  const file = join(__dirname, '..', '..', 'bench', `${id}-findings.md`);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
}
