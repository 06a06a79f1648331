import type { Position as ClientPosition } from '@eventstore/db-client';
import type { Position } from '../event-store';
import { decodePosition, encodePosition } from '../position';

/** What the server sends for an event whose `$all` position it does not know. */
const UNKNOWN = (1n << 64n) - 1n;

/**
 * EventStoreDB orders `$all` by commit position, then prepare position (they only differ for
 * events written in legacy explicit transactions), which is exactly our major/minor order.
 */
export function fromClientPosition(position: ClientPosition): Position {
  return encodePosition(position.commit, position.prepare);
}

export function toClientPosition(position: Position): ClientPosition {
  const { major, minor } = decodePosition(position);
  return { commit: major, prepare: minor };
}

/**
 * Stream reads only carry a real `$all` position on EventStoreDB 22.6 and later, and never for
 * events written in explicit transactions; otherwise the client reports none or the u64 maximum.
 */
export function isKnownPosition(position: ClientPosition | undefined): position is ClientPosition {
  return position !== undefined && position.commit !== UNKNOWN && position.prepare !== UNKNOWN;
}
