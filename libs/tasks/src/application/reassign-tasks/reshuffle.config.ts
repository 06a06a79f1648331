import { type Env, envInteger } from '@app/core';

/**
 * When the worker takes a reshuffle to be abandoned by its run, from the environment:
 * RESHUFFLE_ABANDONED_AFTER_MS (default 60000): the resumer workflow's timer.
 * Loaded once at launch (see `tasksContext`) and provided under `RESHUFFLE_CONFIG`.
 */
export interface ReshuffleConfig {
  /** A reshuffle still unfinished this long after it started is finished by the worker. */
  abandonedAfterMs: number;
}

export const RESHUFFLE_CONFIG = Symbol('RESHUFFLE_CONFIG');

const MILLISECONDS = { min: 1, unit: 'milliseconds' };

export function loadReshuffleConfig(env: Env): ReshuffleConfig {
  return {
    abandonedAfterMs: envInteger(env, 'RESHUFFLE_ABANDONED_AFTER_MS', 60_000, MILLISECONDS),
  };
}
