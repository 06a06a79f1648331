import { type Env, envInteger } from '@app/core';

/**
 * The ledger's settings, from the environment. Loaded once at launch (see `ledgerContext`) and
 * provided under `LEDGER_CONFIG`:
 * - LEDGER_RETROACTIVE_DAYS (default 7): how many days before today a posting's `dateRef` may be;
 * - LEDGER_RECONCILE_MS (default an hour): how often the worker recomputes the balances from the
 *   postings and compares them with the read model;
 * - LEDGER_WEBHOOK_MAX_ATTEMPTS (default 10): attempts of a webhook delivery before it is failed
 *   (a dead letter); LEDGER_WEBHOOK_BACKOFF_MS (default 1,000) and LEDGER_WEBHOOK_MAX_BACKOFF_MS
 *   (default 300,000): the delay after the first failed attempt, doubled after each next one up to
 *   the most; LEDGER_WEBHOOK_TIMEOUT_MS (default 10,000): how long an attempt waits for an answer;
 *   LEDGER_WEBHOOK_CONCURRENCY (default 8): attempts in flight at once per webhook.
 */
export interface LedgerConfig {
  retroactiveDays: number;
  reconcileMs: number;
  webhooks: { maxAttempts: number; backoffMs: number; maxBackoffMs: number; timeoutMs: number; concurrency: number };
}

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');

export function loadLedgerConfig(env: Env): LedgerConfig {
  const backoffMs = envInteger(env, 'LEDGER_WEBHOOK_BACKOFF_MS', 1000, { min: 1, unit: 'milliseconds' });
  return {
    retroactiveDays: envInteger(env, 'LEDGER_RETROACTIVE_DAYS', 7, { unit: 'days' }),
    reconcileMs: envInteger(env, 'LEDGER_RECONCILE_MS', 3_600_000, { min: 1000, unit: 'milliseconds' }),
    webhooks: {
      maxAttempts: envInteger(env, 'LEDGER_WEBHOOK_MAX_ATTEMPTS', 10, { min: 1, unit: 'attempts' }),
      backoffMs,
      maxBackoffMs: Math.max(backoffMs, envInteger(env, 'LEDGER_WEBHOOK_MAX_BACKOFF_MS', 300_000, { min: 1, unit: 'milliseconds' })),
      timeoutMs: envInteger(env, 'LEDGER_WEBHOOK_TIMEOUT_MS', 10_000, { min: 1, unit: 'milliseconds' }),
      concurrency: envInteger(env, 'LEDGER_WEBHOOK_CONCURRENCY', 8, { min: 1, unit: 'attempts' }),
    },
  };
}
