import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { formatCents } from '@app/core/domain';
import { ORDERS_CONFIG, type OrdersConfig } from '../orders.config';
import { CircuitBreakers } from './circuit-breaker';
import type { PolledStatus, ProviderAdapter, ProviderInfo, SubOrderRequest } from './provider-adapter';
import { type ProviderCall, type ProviderFailureReason, ProviderMetrics } from './provider-metrics';

export type HttpProviderSettings = Pick<OrdersConfig, 'httpTimeoutMs' | 'httpAttempts' | 'httpBackoffMs' | 'circuitFailures' | 'circuitOpenMs'>;

/** The statuses a provider's GET may answer; anything else is an error. */
const POLLED: Record<PolledStatus, true> = { pending: true, accepted: true, preparing: true, ready: true, picked_up: true, delivered: true, rejected: true };

/** The most of an answer's body kept in an error message. */
const BODY_IN_MESSAGE = 200;

interface Request {
  method: 'GET' | 'POST';
  path: string;
  idempotencyKey?: string;
  body?: unknown;
}

interface Answer {
  status: number;
  body: unknown;
  text: string;
}

/** One request's outcome: an answer, or why none came. */
type Outcome = { answer: Answer; retryAfter: string | null } | { failure: 'timeout' | 'network'; message: string };

/** A call that failed: its message is what the sub-order records as its lastError. */
export class ProviderCallError extends Error {
  constructor(
    message: string,
    readonly reason: ProviderFailureReason,
  ) {
    super(message);
    this.name = 'ProviderCallError';
  }
}

/** An AbortController whose signal takes any number of listeners (one per request in flight) without Node's leak warning. */
function unboundedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Retry-After in milliseconds (whole seconds or an HTTP date); null when absent or unreadable. */
function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^[0-9]{1,10}$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

/**
 * The `http` provider: a provider's own API (Delibery's provider API), called with `fetch`.
 *
 * - Every request waits ORDERS_HTTP_TIMEOUT_MS at most (the answer's body included).
 * - One call makes up to ORDERS_HTTP_ATTEMPTS requests while the failure can be retried (no answer
 *   in time, no connection, 408, 429, 5xx), waiting ORDERS_HTTP_BACKOFF_MS doubled each time, plus
 *   up to half of jitter, or the answer's Retry-After when longer (one longer than the timeout is
 *   not waited: the call fails and the fulfilment workflow retries it with its own backoff). Any
 *   other 4xx fails the call at once.
 * - `submit` sends `Idempotency-Key: <subOrderId>`: the provider makes one order per key, so a
 *   retry (here or the workflow's) gets the same providerRef and never a second order.
 * - `cancel`: a 2xx is cancelled; a 404 too (the provider has no order under that reference any
 *   more: nothing is left to cancel there); a 409 is "already cancelled" (a success) unless its
 *   body names another status (`{ status: "picked_up" }`: too late), which fails the call.
 * - `poll` answers the provider's `{ status }` (and its `at` when it gives one); a status that is
 *   not one of the provider statuses, or `pending`, is an error.
 * - Each provider has its circuit breaker (by provider id): ORDERS_CIRCUIT_FAILURES failed requests
 *   in a row (timeouts, no connection, 408/429/5xx: the provider is unwell; other answers count as
 *   healthy) open it, and its calls then fail at once with "circuit open" for
 *   ORDERS_CIRCUIT_OPEN_MS; then one call goes through as a trial, and closes it by succeeding.
 *   Nothing is shared between providers but the process, so a dead provider slows its own calls
 *   only.
 * - Its metrics: ProviderMetrics. At shutdown, calls in flight are aborted (they fail "stopped").
 */
@Injectable()
export class HttpProviderAdapter implements ProviderAdapter, BeforeApplicationShutdown {
  readonly kind = 'http' as const;
  private readonly circuits: CircuitBreakers;
  /** Aborts every call in flight at shutdown; each in-flight request listens to it (any number at once). */
  private readonly stopping = unboundedAbortController();

  constructor(
    @Inject(ORDERS_CONFIG) private readonly settings: HttpProviderSettings,
    private readonly metrics: ProviderMetrics,
  ) {
    this.circuits = new CircuitBreakers({ failures: settings.circuitFailures, openMs: settings.circuitOpenMs, now: () => performance.now() });
    metrics.watchCircuits(() => this.circuits.states());
  }

  beforeApplicationShutdown(): void {
    this.stopping.abort();
  }

  async submit(provider: ProviderInfo, subOrder: SubOrderRequest): Promise<{ providerRef: string }> {
    const body = {
      subOrderId: subOrder.subOrderId,
      items: subOrder.items.map((item) => ({ sku: item.sku, name: item.name, quantity: item.quantity, price: formatCents(item.priceCents) })),
      deliveryAddress: subOrder.deliveryAddress,
    };
    return this.call(provider, 'submit', { method: 'POST', path: '/orders', idempotencyKey: subOrder.subOrderId, body }, (answer) => {
      if (answer.status < 200 || answer.status >= 300) return null;
      const providerRef = (answer.body as { providerRef?: unknown } | null)?.providerRef;
      if (typeof providerRef !== 'string' || providerRef === '') throw new ProviderCallError(`submit: HTTP ${answer.status} without a providerRef`, 'answer');
      return { providerRef };
    });
  }

  async cancel(provider: ProviderInfo, subOrder: { subOrderId: string; providerRef: string }): Promise<void> {
    await this.call(provider, 'cancel', { method: 'POST', path: `/orders/${encodeURIComponent(subOrder.providerRef)}/cancel` }, (answer) => {
      if ((answer.status >= 200 && answer.status < 300) || answer.status === 404) return true;
      if (answer.status !== 409) return null;
      const status = (answer.body as { status?: unknown } | null)?.status;
      if (status === undefined || status === 'cancelled') return true;
      throw new ProviderCallError(`cancel: refused (HTTP 409, the provider's order is ${String(status).slice(0, 40)})`, 'status');
    });
  }

  async poll(provider: ProviderInfo, subOrder: { subOrderId: string; providerRef: string }): Promise<{ status: PolledStatus; at?: string }> {
    return this.call(provider, 'poll', { method: 'GET', path: `/orders/${encodeURIComponent(subOrder.providerRef)}` }, (answer) => {
      if (answer.status < 200 || answer.status >= 300) return null;
      const { status, at } = (answer.body ?? {}) as { status?: unknown; at?: unknown };
      if (typeof status !== 'string' || !Object.hasOwn(POLLED, status)) {
        throw new ProviderCallError(`poll: unknown status ${JSON.stringify(status ?? null).slice(0, 60)}`, 'answer');
      }
      const valid = typeof at === 'string' && at.length <= 40 && Number.isFinite(Date.parse(at));
      return valid ? { status: status as PolledStatus, at: new Date(at).toISOString() } : { status: status as PolledStatus };
    });
  }

  /**
   * One call: requests until `accept` reads a result from an answer (it returns null for an answer
   * that is a failure), the failure cannot be retried, the attempts are spent or the circuit opens.
   */
  private async call<T>(provider: ProviderInfo, call: ProviderCall, request: Request, accept: (answer: Answer) => T | null): Promise<T> {
    const circuit = this.circuits.of(provider.providerId);
    const label = provider.providerId;
    // The circuit judges whole calls, after their quick retries: a provider failing some requests
    // (flaky) is not taken for a dead one; one whose calls fail their every attempt is.
    const permit = circuit.acquire();
    if (!permit) {
      this.metrics.failed(label, call, 'circuit_open');
      throw new ProviderCallError(`${call}: circuit open (calls to this provider fail at once for ${circuit.remainingOpenMs()} ms more)`, 'circuit_open');
    }
    const done = this.metrics.time(label, call);
    let healthy = false;
    let last = '';
    try {
      for (let attempt = 1; ; attempt++) {
        const outcome = await this.request(provider, request);
        if ('failure' in outcome) {
          this.metrics.failed(label, call, outcome.failure);
          last = outcome.message;
          if (attempt >= this.settings.httpAttempts || this.stopping.signal.aborted) throw new ProviderCallError(this.spent(call, last, attempt), outcome.failure);
          await sleep(this.backoff(attempt), this.stopping.signal);
          continue;
        }
        const { answer } = outcome;
        const retriable = answer.status === 408 || answer.status === 429 || answer.status >= 500;
        // An answer that is not a failure of the provider (2xx, or a 4xx about the request) shows it is up.
        if (!retriable) healthy = true;
        let result: T | null;
        try {
          result = accept(answer);
        } catch (error) {
          if (error instanceof ProviderCallError) this.metrics.failed(label, call, error.reason);
          throw error;
        }
        if (result !== null) return result;
        this.metrics.failed(label, call, 'status');
        last = `HTTP ${answer.status}${retriable ? '' : this.bodyOf(answer)}`;
        if (!retriable) throw new ProviderCallError(`${call}: ${last} (not retried)`, 'status');
        if (attempt >= this.settings.httpAttempts || this.stopping.signal.aborted) throw new ProviderCallError(this.spent(call, last, attempt), 'status');
        const asked = retryAfterMs(outcome.retryAfter);
        if (asked !== null && asked > this.settings.httpTimeoutMs) {
          throw new ProviderCallError(`${call}: ${last}, retry after ${Math.ceil(asked / 1000)} s`, 'status');
        }
        await sleep(Math.max(asked ?? 0, this.backoff(attempt)), this.stopping.signal);
      }
    } finally {
      circuit.record(permit, healthy);
      done();
    }
  }

  private spent(call: ProviderCall, last: string, attempts: number): string {
    if (this.stopping.signal.aborted) return `${call}: stopped (the worker is shutting down) after ${last}`;
    return `${call}: ${last}${attempts > 1 ? ` (${attempts} attempts)` : ''}`;
  }

  /** ORDERS_HTTP_BACKOFF_MS doubled per attempt, plus up to half of it at random. */
  private backoff(attempt: number): number {
    const base = this.settings.httpBackoffMs * 2 ** (attempt - 1);
    return Math.round(base * (1 + Math.random() / 2));
  }

  private async request(provider: ProviderInfo, request: Request): Promise<Outcome> {
    if (!provider.baseUrl) return { failure: 'network', message: 'the provider has no baseUrl' };
    const url = `${provider.baseUrl.replace(/\/+$/, '')}${request.path}`;
    const timeout = AbortSignal.timeout(this.settings.httpTimeoutMs);
    // One controller per request, aborted by its timeout or the shutdown (no signal left behind on the long-lived one).
    const controller = new AbortController();
    const abort = () => controller.abort();
    timeout.addEventListener('abort', abort, { once: true });
    this.stopping.signal.addEventListener('abort', abort, { once: true });
    const signal = controller.signal;
    try {
      const response = await fetch(url, {
        method: request.method,
        headers: {
          accept: 'application/json',
          'user-agent': 'delibery',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(request.idempotencyKey === undefined ? {} : { 'idempotency-key': request.idempotencyKey }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        redirect: 'manual',
        signal,
      });
      const text = await response.text();
      let body: unknown = null;
      try {
        body = text === '' ? null : JSON.parse(text);
      } catch {
        body = null;
      }
      return { answer: { status: response.status, body, text }, retryAfter: response.headers.get('retry-after') };
    } catch (error) {
      if (timeout.aborted) return { failure: 'timeout', message: `no answer within ${this.settings.httpTimeoutMs} ms` };
      if (this.stopping.signal.aborted) return { failure: 'network', message: 'stopped' };
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      const why = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : (error as Error).message;
      return { failure: 'network', message: `no connection (${String(why).replace(/\bhttps?:\/\/\S*/g, '<url>')})` };
    } finally {
      timeout.removeEventListener('abort', abort);
      this.stopping.signal.removeEventListener('abort', abort);
    }
  }

  private bodyOf(answer: Answer): string {
    const text = answer.text.trim();
    return text === '' ? '' : `: ${text.slice(0, BODY_IN_MESSAGE)}`;
  }
}

