import { defineContext } from '@app/core';
import { accountsProjection } from '@app/projections/accounting/accounts/accounts.projection';
import { billingProjection } from '@app/projections/accounting/billing/billing.projection';
import { managementEarningsProjection } from '@app/projections/accounting/management-earnings/management-earnings.projection';
import { ACCOUNTING_CONFIG, loadAccountingConfig } from './application/accounting.config';
import { BillingCloseWorkflow } from './application/close-billing-cycle/billing-close.workflow';
import { BillingSchedulerWorkflow } from './application/close-billing-cycle/billing-scheduler.workflow';
import { TaskAccountsProcessManager } from './application/post-transaction/task-accounts.process-manager';
import { PayoutEmailsProcessManager } from './application/send-payout-email/payout-emails.process-manager';
import { AccountingWorkerModule } from './accounting-worker.module';
import * as accountingErrors from './domain/accounting.errors';
import { AccountingApiModule } from './http/accounting-api.module';

/** Accounting: task prices, each worker's account, the end-of-day close and payout emails. */
export const accountingContext = defineContext({
  name: 'accounting',
  apiTags: { accounting: 'Prices, balances, audit logs and the daily billing cycle' },
  apiModule: AccountingApiModule,
  workerModule: AccountingWorkerModule,
  projections: [accountsProjection, billingProjection, managementEarningsProjection],
  processManagers: [TaskAccountsProcessManager, PayoutEmailsProcessManager],
  workflows: [BillingSchedulerWorkflow, BillingCloseWorkflow],
  errors: Object.values(accountingErrors),
  config: { token: ACCOUNTING_CONFIG, load: (env) => loadAccountingConfig(env) },
});
