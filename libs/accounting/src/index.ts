export * from './contract';
export * from './domain/accounting.errors';
export * from './application/accounting.config';
export * from './application/price-task/price-draw';
export * from './application/price-task/task-pricing.process-manager';
export * from './application/post-transaction/task-accounts.process-manager';
export * from './application/send-payout-email/payout-emails.process-manager';
export * from './application/close-billing-cycle/billing-scheduler';
export * from './http/accounting-api.module';
export * from './accounting-worker.module';
export * from './accounting.module';
export * from './accounting.context';

/** The read models other contexts may read (declare the projection in their `@ReadsFrom`). */
export { accountsProjection } from '@app/projections/accounting/accounts/accounts.projection';
export { accountsQueries } from '@app/projections/accounting/accounts/accounts.queries';
export { managementEarningsProjection } from '@app/projections/accounting/management-earnings/management-earnings.projection';
export { managementEarningsQueries } from '@app/projections/accounting/management-earnings/management-earnings.queries';
