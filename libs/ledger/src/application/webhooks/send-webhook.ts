import { createHmac } from 'node:crypto';
import type { AttemptOutcome } from '../../domain/webhook.decider';

/** The most a receiver's Retry-After is honoured: a day. */
const MAX_RETRY_AFTER_MS = 86_400_000;

export interface WebhookRequest {
  url: string;
  secret: string;
  deliveryId: string;
  /** The exact bytes sent, and signed. */
  body: string;
  /** The instant of the attempt, sent as X-Timestamp. */
  at: Date;
  timeoutMs: number;
  /** Aborts the attempt (the worker is stopping): it then throws, and is not an outcome. */
  signal: AbortSignal;
}

/** `sha256=` and the hex HMAC-SHA256 of `body` with `secret`: what X-Signature carries. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * One attempt: POSTs the body with its signature, delivery id and timestamp, and says how it went.
 * A 2xx is delivered; a 408, 429 or 5xx, a timeout or no answer can be retried (honouring
 * Retry-After, in seconds or as a date); anything else (a 3xx, which is not followed so the signed
 * body goes nowhere but the registered URL, or another 4xx) cannot. Throws only when `signal`
 * aborts.
 */
export async function sendWebhook(request: WebhookRequest): Promise<AttemptOutcome> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'flow-ledger-webhooks',
        'x-signature': signature(request.secret, request.body),
        'x-delivery-id': request.deliveryId,
        'x-timestamp': request.at.toISOString(),
      },
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.any([request.signal, timeout]),
    });
    // The answer's body is not needed; reading it to the end keeps the connection for the next attempt.
    await response.arrayBuffer();
  } catch (error) {
    request.signal.throwIfAborted();
    if (timeout.aborted) return { delivered: false, error: `no answer within ${request.timeoutMs} ms`, retryable: true, retryAfterMs: null };
    return { delivered: false, error: describe(error), retryable: true, retryAfterMs: null };
  }
  const { status } = response;
  if (status >= 200 && status < 300) return { delivered: true, httpStatus: status };
  const retryable = status === 408 || status === 429 || status >= 500;
  return { delivered: false, error: `HTTP ${status}`, retryable, retryAfterMs: retryable ? retryAfterMs(response.headers.get('retry-after'), request.at) : null };
}

/** Retry-After as milliseconds from `now`: delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (header === null) return null;
  const value = header.trim();
  const ms = /^[0-9]+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now.getTime();
  if (!Number.isFinite(ms)) return null;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/** fetch's "fetch failed" says little; its cause says what: ECONNREFUSED, a reset, a bad certificate. */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}
