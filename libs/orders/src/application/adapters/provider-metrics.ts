import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { PlatformMetrics } from '@app/core';
import type { CircuitState } from './circuit-breaker';

export type ProviderCall = 'submit' | 'cancel' | 'poll';

/**
 * Why a request to a provider failed: no answer in time, an answer with a status that is not a
 * success, no connection, an answer that cannot be read (not JSON, no providerRef, an unknown
 * status), or no request made because the provider's circuit is open.
 */
export type ProviderFailureReason = 'timeout' | 'status' | 'network' | 'answer' | 'circuit_open';

const CIRCUIT_VALUES: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };

/** The metric of this name on the registry, or a new one (a second instance on the same registry shares them). */
function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * Delibery's provider metrics on the platform's registry (/metrics), labelled by provider id
 * (as many as there are registered providers):
 * - `orders_provider_call_duration_seconds{provider,call}`: one call to an adapter, its in-call
 *   retries included;
 * - `orders_provider_failures_total{provider,call,reason}`: each failed request (a call that
 *   succeeds on its third request counts two), and each call refused by an open circuit;
 * - `orders_provider_circuit_state{provider}`: 0 closed, 1 half-open, 2 open, read at each scrape.
 */
@Injectable()
export class ProviderMetrics {
  private readonly durations: Histogram<'provider' | 'call'>;
  private readonly failures: Counter<'provider' | 'call' | 'reason'>;
  private circuits: () => Array<[string, CircuitState]> = () => [];

  constructor(metrics: PlatformMetrics) {
    const registers = [metrics.registry];
    this.durations = once(
      metrics.registry,
      'orders_provider_call_duration_seconds',
      () =>
        new Histogram({
          name: 'orders_provider_call_duration_seconds',
          help: 'Duration of one call to a provider (submit, cancel, poll), its in-call retries included',
          labelNames: ['provider', 'call'] as const,
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
          registers,
        }),
    );
    this.failures = once(
      metrics.registry,
      'orders_provider_failures_total',
      () =>
        new Counter({
          name: 'orders_provider_failures_total',
          help: 'Failed requests to a provider, by call and reason (timeout, status, network, answer, circuit_open: refused at once)',
          labelNames: ['provider', 'call', 'reason'] as const,
          registers,
        }),
    );
    const gauge: Gauge<'provider'> = once(
      metrics.registry,
      'orders_provider_circuit_state',
      () =>
        new Gauge({
          name: 'orders_provider_circuit_state',
          help: "A provider's circuit: 0 closed, 1 half-open, 2 open",
          labelNames: ['provider'] as const,
          aggregator: 'max',
          registers,
          collect: () => {
            for (const [provider, state] of this.circuits()) gauge.set({ provider }, CIRCUIT_VALUES[state]);
          },
        }),
    );
  }

  /** Starts timing one call; the function returned records its duration. */
  time(provider: string, call: ProviderCall): () => void {
    return this.durations.startTimer({ provider, call }) as () => void;
  }

  failed(provider: string, call: ProviderCall, reason: ProviderFailureReason): void {
    this.failures.inc({ provider, call, reason });
  }

  /** Where the circuit-state gauge reads the circuits at each scrape. */
  watchCircuits(source: () => Array<[string, CircuitState]>): void {
    this.circuits = source;
  }
}
