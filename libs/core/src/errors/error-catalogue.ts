import { HTTP_ERRORS } from '../http/errors';
import { IdempotencyKeyReused } from '../http/idempotency';
import type { ContextDefinition } from '../nest/context';
import { ProcessManagerNotFailingError } from '../process-managers/process-manager-store';
import { ReadModelLaggingError } from '../projections/consistency';
import { ProjectionNotHaltedError } from '../projections/projection-store';
import type { ErrorKind } from './domain-error';

/** Every code the platform answers whatever the contexts: its HTTP layer's and its runtimes'. */
export const PLATFORM_ERRORS: readonly ErrorKind[] = [...HTTP_ERRORS, ReadModelLaggingError, ProjectionNotHaltedError, ProcessManagerNotFailingError, IdempotencyKeyReused];

/** An entry of `GET /errors`. */
export interface ErrorCatalogueEntry {
  code: string;
  status: number;
  /** What the code means, in one line (an answer's own `message` says more about that case). */
  message: string;
}

const CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/**
 * `GET /errors`: the platform's codes and those the contexts declare (`defineContext({ errors })`),
 * each once, sorted by code. A code declared twice with another status or meaning is a mistake
 * (clients could not tell which holds), and stops the start.
 */
export function errorCatalogue(contexts: readonly Pick<ContextDefinition, 'name' | 'errors'>[]): ErrorCatalogueEntry[] {
  const byCode = new Map<string, ErrorKind>();
  const kinds = [...PLATFORM_ERRORS.map((kind) => ({ kind, from: 'the platform' })), ...contexts.flatMap((c) => c.errors.map((kind) => ({ kind, from: c.name })))];
  for (const { kind, from } of kinds) {
    if (!CODE.test(kind.code)) throw new Error(`Error code "${kind.code}" (${from}) is not SCREAMING_SNAKE_CASE`);
    const known = byCode.get(kind.code);
    if (known && (known.status !== kind.status || known.meaning !== kind.meaning)) {
      throw new Error(
        `Error code ${kind.code} (${from}) is declared again as ${kind.status} "${kind.meaning}", once ${known.status} "${known.meaning}": ` +
          'a code has one status and one meaning (classes that share a code share its kind: defineError(KIND))',
      );
    }
    byCode.set(kind.code, kind);
  }
  return [...byCode.values()]
    .map(({ code, status, meaning }) => ({ code, status, message: meaning }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
