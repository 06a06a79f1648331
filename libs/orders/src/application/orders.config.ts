import { type Env, envInteger } from '@app/core';

/**
 * Delibery's settings, from the environment (`ORDERS_CONFIG`):
 * - ORDERS_RETRY_BASE_MS (default 1,000) and ORDERS_RETRY_MAX_MS (default 60,000): the wait after
 *   a failed submit or cancel, doubled after each next failure up to the most (plus up to a
 *   quarter of jitter);
 * - ORDERS_POLL_AFTER_MS (default 30,000): an http provider's sub-order is polled when no update
 *   came for this long;
 * - ORDERS_HTTP_TIMEOUT_MS (default 5,000): how long one call to a provider's API waits;
 * - ORDERS_CIRCUIT_FAILURES (default 5) and ORDERS_CIRCUIT_OPEN_MS (default 30,000): after that
 *   many failed calls in a row (each after its retries) a provider's circuit opens, and its calls fail at once for that long;
 * - ORDERS_HTTP_ATTEMPTS (default 3): how many requests one call to an http provider makes at most
 *   when the answers can be retried (a timeout, no connection, 408, 429, 5xx);
 * - ORDERS_HTTP_BACKOFF_MS (default 200): the wait before a call's second request, doubled before
 *   each next one (plus up to half of jitter); a Retry-After is waited instead when it is longer,
 *   unless it is longer than ORDERS_HTTP_TIMEOUT_MS, when the call fails at once and the workflow
 *   retries it later.
 */
export interface OrdersConfig {
  retryBaseMs: number;
  retryMaxMs: number;
  pollAfterMs: number;
  httpTimeoutMs: number;
  circuitFailures: number;
  circuitOpenMs: number;
  httpAttempts: number;
  httpBackoffMs: number;
}

export const ORDERS_CONFIG = Symbol('ORDERS_CONFIG');

export function loadOrdersConfig(env: Env): OrdersConfig {
  const ms = (name: string, fallback: number) => envInteger(env, name, fallback, { min: 1, unit: 'milliseconds' });
  const retryBaseMs = ms('ORDERS_RETRY_BASE_MS', 1000);
  return {
    retryBaseMs,
    retryMaxMs: Math.max(retryBaseMs, ms('ORDERS_RETRY_MAX_MS', 60_000)),
    pollAfterMs: ms('ORDERS_POLL_AFTER_MS', 30_000),
    httpTimeoutMs: ms('ORDERS_HTTP_TIMEOUT_MS', 5000),
    circuitFailures: envInteger(env, 'ORDERS_CIRCUIT_FAILURES', 5, { min: 1, unit: 'failures' }),
    circuitOpenMs: ms('ORDERS_CIRCUIT_OPEN_MS', 30_000),
    httpAttempts: envInteger(env, 'ORDERS_HTTP_ATTEMPTS', 3, { min: 1, unit: 'attempts' }),
    httpBackoffMs: ms('ORDERS_HTTP_BACKOFF_MS', 200),
  };
}
