import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** BENCHMARKS.md at the repository root (this file runs from dist/bench). */
export const BENCHMARKS_FILE = join(__dirname, '..', '..', 'BENCHMARKS.md');

const TITLE = `# Benchmarks

Each benchmark script rewrites only its own section of this file, between its markers, and leaves
the others as they are. Every section names the machine and the command that produced it.
`;

/**
 * Replaces the section `id` of BENCHMARKS.md with `markdown` (or appends it when the file has no
 * such section yet), so `bench:eventstore`, `bench:http` and `bench:rebuild` can each rewrite
 * their own results without erasing the others'.
 */
export function writeBenchmarkSection(id: string, markdown: string, file = BENCHMARKS_FILE): void {
  const start = `<!-- section:${id} -->`;
  const end = `<!-- /section:${id} -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : TITLE;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${block}${current.slice(to + end.length)}`
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
