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
 * body goes nowhere but the registered URL, or another 4xx, or a request the HTTP client refuses
 * to make) cannot. Throws only when `signal` aborts.
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
  } catch (error) {
    request.signal.throwIfAborted();
    if (timeout.aborted) return { delivered: false, error: `no answer within ${request.timeoutMs} ms`, retryable: true, retryAfterMs: null };
    return refused(error);
  }
  // The outcome is the status alone: the answer's body is not read (a huge or trickling one would
  // hold the attempt, and a reset after a 2xx would turn a delivery into a retry).
  response.body?.cancel().catch(() => undefined);
  const { status } = response;
  if (status >= 200 && status < 300) return { delivered: true, httpStatus: status };
  const retryable = status === 408 || status === 429 || status >= 500;
  return { delivered: false, error: `HTTP ${status}`, retryable, retryAfterMs: retryable ? retryAfterMs(response.headers.get('retry-after'), request.at) : null };
}

/** An IMF-fixdate, the form RFC 9110 asks of HTTP dates: `Sun, 06 Nov 1994 08:49:37 GMT`. */
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Retry-After as milliseconds from `now`: whole delay-seconds or an HTTP date, at most a day; null when absent or anything else. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (header === null) return null;
  const value = header.trim();
  let ms: number;
  if (/^[0-9]{1,10}$/.test(value)) ms = Number(value) * 1000;
  else if (HTTP_DATE.test(value)) ms = Date.parse(value) - now.getTime();
  else return null;
  if (!Number.isFinite(ms)) return null;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/**
 * No answer: a refused or reset connection, a name that does not resolve, a bad certificate
 * (fetch's "fetch failed", with a cause that has a code) can be retried. Without one it is the HTTP
 * client refusing the request itself (a port it never connects to, such as 6000), which no retry
 * changes. The message never holds the URL.
 */
function refused(error: unknown): AttemptOutcome {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return { delivered: false, error: cause.code, retryable: true, retryAfterMs: null };
  const reason = typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : String(error);
  return { delivered: false, error: `the request could not be made: ${reason.replace(/\bhttps?:\/\/\S*/g, '<url>')}`, retryable: false, retryAfterMs: null };
}
