/**
 * Accounting's public surface: its published events, its definition, and the read models analytics
 * reads (declare their projections in `@ReadsFrom`).
 */
export * from './contract';
export * from './accounting.context';
export { accountsProjection } from '@app/projections/accounting/accounts/accounts.projection';
export { accountsQueries } from '@app/projections/accounting/accounts/accounts.queries';
export { managementEarningsProjection } from '@app/projections/accounting/management-earnings/management-earnings.projection';
export { managementEarningsQueries } from '@app/projections/accounting/management-earnings/management-earnings.queries';
