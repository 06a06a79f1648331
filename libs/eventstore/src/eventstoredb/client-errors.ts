import {
  ErrorType,
  isCommandError,
  StreamNotFoundError,
  WrongExpectedVersionError as ClientWrongExpectedVersionError,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, WrongExpectedVersionError } from '../errors';
import type { ExpectedRevision } from '../event-store';
import { toActualRevision } from './revisions';

/** The server ended a live subscription without being asked to (it restarted, or lost leadership). */
export class SubscriptionDroppedError extends Error {
  override readonly name = 'SubscriptionDroppedError';
}

/**
 * Errors after which trying again can succeed: the server was unreachable, dropped the call,
 * timed out or is no longer the leader. Anything else (access denied, a bad argument) would
 * fail the same way again.
 */
const TRANSIENT_TYPES: ReadonlySet<string> = new Set([
  ErrorType.UNAVAILABLE,
  ErrorType.CANCELLED,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
  ErrorType.UNKNOWN,
]);

export function isTransient(error: unknown): boolean {
  if (error instanceof SubscriptionDroppedError || error instanceof EventStoreUnavailableError) return true;
  return error instanceof Error && isCommandError(error) && TRANSIENT_TYPES.has(error.type);
}

export function isStreamNotFound(error: unknown): boolean {
  return error instanceof StreamNotFoundError;
}

/**
 * Our conflict error for the client's. The expected revision is the one we sent (the client's
 * reading of it differs between server versions); the actual one is what the server reported.
 */
export function translateAppendError(error: unknown, streamName: string, expected: ExpectedRevision): unknown {
  if (error instanceof ClientWrongExpectedVersionError) {
    return new WrongExpectedVersionError(streamName, expected, toActualRevision(error.actualVersion));
  }
  return translateError(error);
}

/** An unreachable server becomes our `EventStoreUnavailableError`; other errors pass unchanged. */
export function translateError(error: unknown): unknown {
  if (error instanceof Error && isCommandError(error) && error.type === ErrorType.UNAVAILABLE) {
    return new EventStoreUnavailableError(`EventStoreDB unreachable: ${describeError(error)}`);
  }
  return error;
}

/**
 * One readable line for an error from the client. gRPC messages start with a status code
 * ("14 UNAVAILABLE: ...") and wrap the cause ("No connection established. Last error: Error:
 * connect ECONNREFUSED ..."); the cause is what tells an operator what is wrong.
 */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message
    .replace(/\s+/g, ' ')
    .replace(/^\d+ [A-Z_]+: /, '')
    .replace(/\s*Resolution note:\s*$/, '')
    .trim();
  const cause = /Last error: (?:\w*Error: )?(.+?)\.?$/.exec(line);
  if (cause) return cause[1];
  if (line !== '') return line;
  return error instanceof Error && isCommandError(error) ? error.type : 'unknown error';
}

/** The connection string without its password, to name the server in messages and logs. */
export function redactConnectionString(connectionString: string): string {
  return connectionString.trim().replace(/^([a-z+]+:\/\/[^:@/]+):[^@]*@/i, '$1:***@');
}
