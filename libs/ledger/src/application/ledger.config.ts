import { type Env, envInteger } from '@app/core';

/**
 * The ledger's settings, from the environment: LEDGER_RETROACTIVE_DAYS (default 7), how many days
 * before today a posting's `dateRef` may be. Loaded once at launch (see `ledgerContext`) and
 * provided under `LEDGER_CONFIG`.
 */
export interface LedgerConfig {
  retroactiveDays: number;
}

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');

export function loadLedgerConfig(env: Env): LedgerConfig {
  return { retroactiveDays: envInteger(env, 'LEDGER_RETROACTIVE_DAYS', 7, { unit: 'days' }) };
}
