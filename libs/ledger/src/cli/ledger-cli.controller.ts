import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import type { CliCommand } from '@app/core';
import { ReconcileLedgerCommand, type Reconciliation } from '../application/reconcile-ledger/reconcile-ledger.command';
import { LedgerModule } from '../ledger.module';

/** The exit code when the read model differs from the postings. */
export const DIFFERENCES_EXIT_CODE = 3;

/** A bar redrawn in place on a terminal, a line per tenth otherwise (a pipe or a CI log gets a few lines). */
function progressBar(stream: NodeJS.WriteStream = process.stdout, width = 30) {
  let lastTenth = -1;
  return {
    update(done: number, total: number) {
      const ratio = total === 0 ? 1 : Math.min(1, done / total);
      const filled = Math.round(ratio * width);
      const line = `accounts [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(ratio * 100).toString().padStart(3)}% ${done.toLocaleString('en')}/${total.toLocaleString('en')}`;
      if (stream.isTTY) return void stream.write(`\r${line}`);
      const tenth = Math.floor(ratio * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      stream.write(`${line}\n`);
    },
    finish() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}

/**
 * `npm run cli -- ledger:reconcile`: the reconciliation POST /ledger/reconciliations runs, through
 * the command bus, recorded like it (GET /ledger/reconciliations/latest shows it). It waits for the
 * balances projection to reach the log's head, so a worker must be running. Exit code 0 when the
 * read model agrees with the postings, 3 when it does not (each difference printed), `--json` for
 * the answer alone as JSON on stdout.
 */
export const ledgerReconcile: CliCommand = {
  name: 'ledger:reconcile',
  usage: 'ledger:reconcile [--json]',
  description: 'Recompute every ledger balance from the postings and compare it with the read model',
  modules: [LedgerModule],
  async run({ options, app, print }) {
    // With --json the bar goes to stderr, so stdout is the answer alone.
    const bar = progressBar(options.json ? process.stderr : process.stdout);
    const result: Reconciliation = await app.get(CommandBus).execute(new ReconcileLedgerCommand(randomUUID(), (done, total) => bar.update(done, total)));
    bar.finish();
    if (options.json) print(JSON.stringify(result));
    else {
      for (const d of result.differences) print(`${d.branch}/${d.account} ${d.dateRef} ${d.field}: expected ${d.expected ?? '(no day)'}, actual ${d.actual ?? '(no day)'}`);
      const found = result.differences.length === 0 ? 'no differences' : `${result.differences.length} difference(s)`;
      print(`Reconciliation ${result.reconciliationId}: ${result.checkedAccounts} accounts, ${result.checkedDays} days checked, ${found}.`);
    }
    return result.differences.length === 0 ? 0 : DIFFERENCES_EXIT_CODE;
  },
};
