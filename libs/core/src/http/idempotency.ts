import { createHash, randomUUID } from 'node:crypto';
import { applyDecorators, type CallHandler, createParamDecorator, type ExecutionContext, Inject, Injectable, type NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import type { Knex } from 'knex';
import { catchError, defer, from, type Observable, of, switchMap, throwError } from 'rxjs';
import { defineError } from '../errors/domain-error';
import { KNEX } from '../nest/tokens';
import { IDEMPOTENCY_KEY_HEADER } from './openapi';
import { headerOf, type HttpRequest, type HttpResponse, pathOf, setHeader } from './adapter';
import { toErrorResponse, ValidationFailedError } from './errors';

export class IdempotencyKeyReused extends defineError({
  code: 'IDEMPOTENCY_KEY_REUSED',
  status: 409,
  meaning: 'The Idempotency-Key was sent before with another body (or to another endpoint); use a new key for a new request',
}) {
  override readonly name = 'IdempotencyKeyReused';

  constructor() {
    super('This Idempotency-Key was used for another request; use a new key for a new request');
  }
}

/** How long a request holds its key while it runs; a repeat after that (its process died) runs it again. */
const HOLD_MS = 30_000;
/** How often a repeat waiting for the first request looks whether it has answered. */
const WAIT_STEP_MS = 20;
const KEY = /^[\x21-\x7e]{1,200}$/;
const IDEMPOTENT = Symbol('IDEMPOTENT');

/** Answers that are not kept: a dependency that failed (502, 503) or a lost race (409 CONCURRENCY_CONFLICT) is worth running again. */
function worthKeeping(status: number, code: string | undefined): boolean {
  return status < 500 && code !== 'CONCURRENCY_CONFLICT';
}

type Claim = { kind: 'claimed'; owner: string } | { kind: 'answered'; status: number; body: unknown };

/** Canonical JSON: keys sorted, so the same body in another key order is the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The kept answers of requests sent with an `Idempotency-Key` (table `idempotency_keys`), shared
 * by every api process: the first request with a key claims it, a repeat racing it waits for its
 * answer, a repeat after it gets the answer again.
 */
@Injectable()
export class IdempotencyStore {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async claim(scope: string, key: string, fingerprint: string): Promise<Claim> {
    for (;;) {
      const owner = randomUUID();
      const inserted = await this.knex.raw<{ rows: unknown[] }>(
        `insert into idempotency_keys (scope, key, fingerprint, status, owner, locked_until)
         values (?, ?, ?, 'running', ?, now() + make_interval(secs => ?)) on conflict do nothing returning 1`,
        [scope, key, fingerprint, owner, HOLD_MS / 1000],
      );
      if (inserted.rows.length > 0) return { kind: 'claimed', owner };
      const row = await this.knex('idempotency_keys')
        .where({ scope, key })
        .first<{ fingerprint: string; status: string; response_status: number | null; response_body: unknown; stale: boolean } | undefined>(
          'fingerprint',
          'status',
          'response_status',
          'response_body',
          this.knex.raw('locked_until < now() as stale'),
        );
      if (!row) continue; // released meanwhile: claim it again
      if (row.fingerprint !== fingerprint) throw new IdempotencyKeyReused();
      if (row.status === 'done') return { kind: 'answered', status: row.response_status!, body: row.response_body };
      if (row.stale) {
        const taken = await this.knex('idempotency_keys')
          .where({ scope, key, status: 'running' })
          .where('locked_until', '<', this.knex.fn.now())
          .update({ owner, locked_until: this.knex.raw('now() + make_interval(secs => ?)', [HOLD_MS / 1000]) });
        if (taken > 0) return { kind: 'claimed', owner };
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    }
  }

  async answer(scope: string, key: string, owner: string, status: number, body: unknown): Promise<void> {
    await this.knex('idempotency_keys')
      .where({ scope, key, owner })
      .update({ status: 'done', response_status: status, response_body: JSON.stringify(body ?? null) });
  }

  /**
   * Drops every answer kept for a caller's requests (the caller is forgotten: answers may hold their
   * personal data). A repeat of one of those requests then runs again.
   */
  async forgetCaller(callerId: string): Promise<void> {
    await this.knex('idempotency_keys').where('scope', 'like', `${callerId.replace(/[\\%_]/g, '\\$&')} %`).delete();
  }

  async release(scope: string, key: string, owner: string): Promise<void> {
    await this.knex('idempotency_keys').where({ scope, key, owner, status: 'running' }).delete();
  }
}

/**
 * Makes an endpoint idempotent by the `Idempotency-Key` header, per caller and path: the same key
 * with the same body answers the first answer again (status and body, with `Idempotency-Hit:
 * true`), also while the first is still running (the repeat waits for it); another body is 409
 * IDEMPOTENCY_KEY_REUSED. Answers of a failed dependency (5xx) or a lost race are not kept, so a
 * retry with the key runs again. `required`: a request without the header is 400.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { required } = this.reflector.get<{ required: boolean }>(IDEMPOTENT, context.getHandler()) ?? { required: false };
    const request = context.switchToHttp().getRequest<HttpRequest & { caller?: { userId: string } }>();
    const response = context.switchToHttp().getResponse<HttpResponse>();
    const key = headerOf(request, 'idempotency-key');
    if (key === undefined) {
      if (!required) return next.handle();
      return throwError(() => new ValidationFailedError('This request needs an Idempotency-Key header', { 'Idempotency-Key': ['is required'] }));
    }
    if (!KEY.test(key)) {
      return throwError(() => new ValidationFailedError('Idempotency-Key must be 1 to 200 visible ASCII characters', { 'Idempotency-Key': ['must be 1 to 200 visible ASCII characters'] }));
    }
    const scope = `${request.caller?.userId ?? '-'} ${request.method} ${pathOf(request)}`;
    const fingerprint = createHash('sha256').update(canonical(request.body)).digest('base64url');
    return from(this.store.claim(scope, key, fingerprint)).pipe(
      switchMap((claim) => {
        if (claim.kind === 'answered') {
          response.status(claim.status);
          setHeader(response, 'Idempotency-Hit', 'true');
          return of(claim.body);
        }
        const { owner } = claim;
        return next.handle().pipe(
          switchMap((body) => from(this.store.answer(scope, key, owner, response.statusCode, body)).pipe(switchMap(() => of(body)))),
          catchError((error: unknown) => {
            const answer = toErrorResponse(error);
            const keep = worthKeeping(answer.status, (answer.body as { error?: { code?: string } }).error?.code);
            return defer(() => (keep ? this.store.answer(scope, key, owner, answer.status, answer.body) : this.store.release(scope, key, owner))).pipe(
              catchError(() => of(undefined)),
              switchMap(() => throwError(() => error)),
            );
          }),
        );
      }),
    );
  }
}

/**
 * Marks an endpoint idempotent by `Idempotency-Key` (see IdempotencyInterceptor) and declares the
 * header; the endpoint's own 409 description names IDEMPOTENCY_KEY_REUSED with its other codes.
 */
export function Idempotent(options: { required: boolean }) {
  return applyDecorators(
    SetMetadata(IDEMPOTENT, options),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({ ...IDEMPOTENCY_KEY_HEADER, required: options.required }),
  );
}

/** The request's `Idempotency-Key` (checked by the interceptor of `@Idempotent`), for a handler that derives ids from it. */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => headerOf(context.switchToHttp().getRequest<HttpRequest>(), 'idempotency-key'));
