import { type ProcessManagerReport, ProcessManagerStore, processManagerStatusReaderFrom } from '@app/core';
import { type CliCommand, CliUsageError } from '@app/core';

function table(reports: ProcessManagerReport[]): string[] {
  const rows = reports.map((r) => [
    r.name,
    r.status,
    r.position ?? '-',
    String(r.lagEvents),
    r.lagSeconds.toFixed(1),
    String(r.attempts),
    r.failingEvent ? `${r.failingEvent.type} ${r.failingEvent.eventId}${r.failingEvent.skipRequested ? ' (skip asked)' : ''}` : '',
    r.lastError ?? '',
  ]);
  const header = ['NAME', 'STATUS', 'POSITION', 'LAG_EVENTS', 'LAG_SECONDS', 'ATTEMPTS', 'FAILING_EVENT', 'LAST_ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
}

export const processManagersStatus: CliCommand = {
  name: 'process-managers:status',
  usage: 'process-managers:status [--json]',
  description: 'Show every process manager: status, position, lag, failed attempts and last error (exit code 3 while one is retrying)',
  async run(context) {
    const reports = await processManagerStatusReaderFrom(context.app).report();
    if (context.options.json) context.print(JSON.stringify(reports, null, 2));
    else if (reports.length === 0) context.print('No process managers are registered.');
    else table(reports).forEach((line) => context.print(line));
    return reports.some((r) => r.status === 'retrying') ? 3 : 0;
  },
};

/**
 * Records the request in the checkpoint row; the worker running the process manager (any process)
 * moves past the event before its next retry, if that is still the event it fails on.
 */
export const processManagersSkip: CliCommand = {
  name: 'process-managers:skip',
  usage: 'process-managers:skip <name> --yes',
  description: 'Move a process manager past the one event it keeps failing on (shown by process-managers:status); that event is never handled',
  async run(context) {
    const status = processManagerStatusReaderFrom(context.app);
    const name = context.args[0];
    const known = status.names.join(', ') || 'none';
    if (!name) throw new CliUsageError(`Name a process manager (known: ${known})`);
    if (!status.has(name)) throw new CliUsageError(`Unknown process manager "${name}" (known: ${known})`);
    if (!context.options.yes) throw new CliUsageError(`Skipping means ${name} never handles that event; add --yes to confirm`);
    const [report] = (await status.report()).filter((r) => r.name === name);
    if (report.status !== 'retrying') {
      context.print(`${name} is not failing on an event (status ${report.status}); there is nothing to skip.`);
      return 3;
    }
    const event = await context.app.get(ProcessManagerStore).requestSkip(name, 'cli');
    context.print(`Skip of ${event.type} ${event.eventId} at ${event.position} requested; the worker running ${name} moves past it before its next retry.`);
  },
};
