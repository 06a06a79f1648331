import { ConfigError } from '@app/core';

/**
 * When the worker takes a reshuffle to be abandoned by its run, from the environment:
 * RESHUFFLE_ABANDONED_AFTER_MS (default 60000) and RESHUFFLE_CHECK_MS (default 30000).
 */
export interface ReshuffleConfig {
  /** A reshuffle still unfinished this long after it started is finished by the worker. */
  abandonedAfterMs: number;
  /** How often the worker looks for such reshuffles (and once at start-up). */
  checkEveryMs: number;
}

export const RESHUFFLE_CONFIG = Symbol('RESHUFFLE_CONFIG');

export function loadReshuffleConfig(env: NodeJS.ProcessEnv = process.env): ReshuffleConfig {
  return {
    abandonedAfterMs: wholeNumber(env, 'RESHUFFLE_ABANDONED_AFTER_MS', 60_000),
    checkEveryMs: wholeNumber(env, 'RESHUFFLE_CHECK_MS', 30_000),
  };
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError(`${name} must be a positive whole number of milliseconds, not "${raw}"`);
  }
  return value;
}
