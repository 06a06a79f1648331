import { setTimeout as sleep } from 'node:timers/promises';
import {
  PROJECTIONS,
  type ProjectionDefinition,
  ProjectionNotHaltedError,
  type ProjectionReport,
  ProjectionStatusReader,
  ProjectionStore,
  projectionWorkerFrom,
} from '@app/core';
import { type CliCommand, type CliContext, CliUsageError } from '@app/core';
import { ProgressBar } from '../progress-bar';

function definitionNamed(context: CliContext): ProjectionDefinition {
  const name = context.args[0];
  const definitions = context.app.get<ProjectionDefinition[]>(PROJECTIONS);
  const known = definitions.map((d) => d.name).join(', ') || 'none';
  if (!name) throw new CliUsageError(`Name a projection (known: ${known})`);
  const definition = definitions.find((d) => d.name === name);
  if (!definition) throw new CliUsageError(`Unknown projection "${name}" (known: ${known})`);
  return definition;
}

function table(reports: ProjectionReport[]): string[] {
  const rows = reports.map((r) => [
    r.name,
    String(r.version),
    r.rebuild ? `${r.status} (v${r.rebuild.version})` : r.status,
    r.position ?? '-',
    String(r.lagEvents),
    r.lagSeconds.toFixed(1),
    r.lastError ?? '',
  ]);
  const header = ['NAME', 'VERSION', 'STATUS', 'POSITION', 'LAG_EVENTS', 'LAG_SECONDS', 'LAST_ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
}

export const projectionsStatus: CliCommand = {
  name: 'projections:status',
  usage: 'projections:status [--json]',
  description: 'Show every projection: version, status, position, lag and last error',
  async run(context) {
    const reports = await context.app.get(ProjectionStatusReader).report();
    if (context.options.json) context.print(JSON.stringify(reports, null, 2));
    else if (reports.length === 0) context.print('No projections are registered.');
    else table(reports).forEach((line) => context.print(line));
    return reports.some((r) => r.status === 'halted') ? 3 : 0;
  },
};

/**
 * Requests a rebuild and follows it with a progress bar until the new generation serves. This
 * process also competes for the projection's lease, so the rebuild runs even when no worker is up;
 * when a worker holds the lease, that worker does the work and this command only watches.
 */
export const projectionsRebuild: CliCommand = {
  name: 'projections:rebuild',
  usage: 'projections:rebuild <name> [--no-wait]',
  description: 'Rebuild a projection into fresh tables; the current ones keep serving until the new ones have caught up',
  async run(context) {
    const definition = definitionNamed(context);
    const generation = await context.app.get(ProjectionStore).requestRebuild(definition);
    context.print(`Rebuild of ${definition.name} v${definition.version} requested (generation ${generation}).`);
    if (context.options['no-wait']) return;
    const status = context.app.get(ProjectionStatusReader);
    const worker = projectionWorkerFrom(context.app, [definition]);
    await worker.start();
    const bar = new ProgressBar(definition.name);
    try {
      for (;;) {
        const [report] = (await status.report()).filter((r) => r.name === definition.name);
        if (report?.status === 'halted') {
          bar.finish();
          context.print(`Halted: ${report.lastError}. Fix the cause, then run projections:retry ${definition.name}.`);
          return 3;
        }
        const progress = await status.progress(definition);
        bar.update(progress.done, progress.total);
        if (!progress.rebuilding && report?.status === 'running') break;
        await sleep(250);
      }
    } finally {
      await worker.stop();
    }
    bar.finish();
    context.print(`${definition.name} rebuilt; the new tables now serve queries.`);
  },
};

/** The exit code of a retry of a projection that is not halted (as the endpoint's 409 PROJECTION_NOT_HALTED). */
export const NOT_HALTED_EXIT_CODE = 2;

export const projectionsRetry: CliCommand = {
  name: 'projections:retry',
  usage: 'projections:retry <name>',
  description: 'Resume a halted projection at the event it halted on (exit code 2 when it is not halted)',
  async run(context) {
    const definition = definitionNamed(context);
    try {
      await context.app.get(ProjectionStore).resume(definition.name);
    } catch (error) {
      if (!(error instanceof ProjectionNotHaltedError)) throw error;
      const [report] = (await context.app.get(ProjectionStatusReader).report()).filter((r) => r.name === definition.name);
      process.stderr.write(`${definition.name} is not halted (status ${report?.status ?? 'unknown'}): there is nothing to retry (PROJECTION_NOT_HALTED).\n`);
      return NOT_HALTED_EXIT_CODE;
    }
    context.print(`${definition.name} resumed; a worker retries the event it halted on.`);
  },
};

export const projectionsSkip: CliCommand = {
  name: 'projections:skip',
  usage: 'projections:skip <name> --yes',
  description: 'Move a halted projection past the one event it cannot apply (recorded in its last error), and resume it',
  async run(context) {
    const definition = definitionNamed(context);
    if (!context.options.yes) throw new CliUsageError('Skipping loses that event in this read model; add --yes to confirm');
    const position = await context.app.get(ProjectionStore).skip(definition.name);
    context.print(`${definition.name} skipped the event at ${position} and resumed.`);
  },
};
