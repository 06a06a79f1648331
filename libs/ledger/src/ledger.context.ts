import { defineContext } from '@app/core';
import { ledgerAccountsProjection } from '@app/projections/ledger/accounts/accounts.projection';
import { balancesProjection } from '@app/projections/ledger/balances/balances.projection';
import { eventCodesProjection } from '@app/projections/ledger/event-codes/event-codes.projection';
import { postingsProjection } from '@app/projections/ledger/postings/postings.projection';
import { webhooksProjection } from '@app/projections/ledger/webhooks/webhooks.projection';
import { LEDGER_CONFIG, loadLedgerConfig } from './application/ledger.config';
import { LedgerReconcileWorkflow } from './application/reconcile-ledger/ledger-reconcile.workflow';
import { OnPostingAcceptedRecordAppliedReactor } from './application/record-posting-applied/on-posting-accepted-record-applied.reactor';
import { ledgerReconcile } from './cli/ledger-cli.controller';
import * as ledgerErrors from './domain/ledger.errors';
import { LedgerApiModule } from './http/ledger-api.module';
import { LedgerWorkerModule } from './ledger-worker.module';

/**
 * The ledger (FLOW): event codes, accounts, postings accepted synchronously and applied to the
 * daily balances asynchronously, and reconciled with them (on demand, from the CLI, and periodically);
 * every applied posting followed by server-sent events and delivered to the registered webhooks.
 */
export const ledgerContext = defineContext({
  name: 'ledger',
  apiTags: { ledger: 'A cash-flow ledger: event codes, accounts, postings and daily balances' },
  apiModule: LedgerApiModule,
  workerModule: LedgerWorkerModule,
  projections: [balancesProjection, postingsProjection, eventCodesProjection, ledgerAccountsProjection, webhooksProjection],
  processManagers: [OnPostingAcceptedRecordAppliedReactor],
  workflows: [LedgerReconcileWorkflow],
  cliCommands: [ledgerReconcile],
  errors: Object.values(ledgerErrors),
  config: { token: LEDGER_CONFIG, load: (env) => loadLedgerConfig(env) },
});
