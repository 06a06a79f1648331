import type { IncomingMessage, ServerResponse } from 'node:http';
import { json } from 'express';
import { endJson, type HttpRequest, rawRequestOf } from './adapter';
import { toErrorResponse, ValidationFailedError } from './errors';
import { hasUnstorableCharacter } from './text';

export interface JsonBodyLimits {
  /** Largest body accepted, in bytes (413 beyond). */
  maxBytes: number;
  /** Deepest nesting of objects and arrays accepted (400 beyond). */
  maxDepth: number;
}

/**
 * The one body parser of the HTTP app. Only `application/json` is read; any other body is left
 * unread, and an endpoint that expects a body then answers 415 (see `createValidationPipe`).
 * A JSON body is refused with 400 VALIDATION_FAILED, before any validator or handler sees it,
 * when it is malformed, nested deeper than `maxDepth`, or holds a string or a key with NUL or a
 * lone surrogate anywhere (nothing downstream, the event store least of all, can keep those).
 */
export function jsonBodyMiddleware(limits: JsonBodyLimits) {
  // The bytes as sent are kept (`rawBodyOf`) for an endpoint that checks a signature over them.
  const parse = json({ limit: limits.maxBytes, strict: false, type: 'application/json', verify: (request, _response, bytes) => void ((request as RawBodyRequest)[RAW_BODY] = bytes) });
  return (request: IncomingMessage & { body?: unknown }, response: ServerResponse, next: () => void): void => {
    parse(request as never, response as never, (error?: unknown) => {
      if (error) return refuse(response, parseFailure(error));
      if (request.body !== undefined) {
        const problem = inspect(request.body, limits.maxDepth);
        if (problem) return refuse(response, problem);
      }
      next();
    });
  };
}

const RAW_BODY = Symbol('rawBody');
type RawBodyRequest = IncomingMessage & { [RAW_BODY]?: Buffer };

/** The body of a JSON request exactly as it was sent (for a signature over it); empty when it had none. */
export function rawBodyOf(request: HttpRequest | IncomingMessage): Buffer {
  return (rawRequestOf(request) as RawBodyRequest)[RAW_BODY] ?? Buffer.alloc(0);
}

function refuse(response: ServerResponse, error: unknown): void {
  const { status, body } = toErrorResponse(error);
  endJson(response, status, body);
}

function parseFailure(error: unknown): unknown {
  const failure = error as { type?: string; status?: number; message?: string };
  if (failure.type === 'entity.parse.failed') {
    return new ValidationFailedError('The body is not valid JSON', {}, { reason: `malformed JSON: ${failure.message ?? 'parse error'}` });
  }
  // Too large (413), a charset other than UTF-8 (415), a body shorter than announced (400): the
  // parser's status stands, with our error body.
  return error;
}

/** Walks the parsed body without recursion, so no depth can overflow the stack. */
function inspect(body: unknown, maxDepth: number): ValidationFailedError | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: body, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (hasUnstorableCharacter(value)) return unstorable(path || '(body)');
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) {
      return new ValidationFailedError(`The body is nested deeper than ${maxDepth} levels`, {}, { reason: `nested deeper than ${maxDepth} levels` });
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, path: `${path}[${index}]`, depth: depth + 1 }));
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      const itemPath = path ? `${path}.${key}` : key;
      if (hasUnstorableCharacter(key)) return unstorable(path || '(body)');
      stack.push({ value: item, path: itemPath, depth: depth + 1 });
    }
  }
  return null;
}

function unstorable(path: string): ValidationFailedError {
  return new ValidationFailedError(`Invalid input: ${path}`, { [path]: ['must not hold NUL or a lone surrogate'] });
}
