import { type Env, envInteger } from '@app/core';

/**
 * The ledger's settings, from the environment: LEDGER_RETROACTIVE_DAYS (default 7), how many days
 * before today a posting's `dateRef` may be. Loaded once at launch (see `ledgerContext`) and
 * provided under `LEDGER_CONFIG`. LEDGER_RECONCILE_MS (default an hour): how often the worker
 * recomputes the balances from the postings and compares them with the read model.
 */
export interface LedgerConfig {
  retroactiveDays: number;
  reconcileMs: number;
}

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');

export function loadLedgerConfig(env: Env): LedgerConfig {
  return {
    retroactiveDays: envInteger(env, 'LEDGER_RETROACTIVE_DAYS', 7, { unit: 'days' }),
    reconcileMs: envInteger(env, 'LEDGER_RECONCILE_MS', 3_600_000, { min: 1000, unit: 'milliseconds' }),
  };
}
