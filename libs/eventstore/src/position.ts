import type { Position } from './event-store';

const WIDTH = 16;
const MAX = (1n << 64n) - 1n;

/**
 * A position is two unsigned 64-bit numbers (PostgreSQL: writing transaction id, sequence number;
 * EventStoreDB: commit, prepare) written as fixed-width hex, so plain string order is log order.
 */
export function encodePosition(major: bigint, minor: bigint): Position {
  if (major < 0n || minor < 0n || major > MAX || minor > MAX) {
    throw new RangeError(`Position parts out of range: ${major}, ${minor}`);
  }
  return `${major.toString(16).padStart(WIDTH, '0')}-${minor.toString(16).padStart(WIDTH, '0')}`;
}

export const POSITION_PATTERN = /^[0-9a-f]{16}-[0-9a-f]{16}$/;

export function isPosition(value: unknown): value is Position {
  return typeof value === 'string' && POSITION_PATTERN.test(value);
}

export function decodePosition(position: Position): { major: bigint; minor: bigint } {
  if (!isPosition(position)) throw new InvalidPositionError(position);
  return { major: BigInt(`0x${position.slice(0, WIDTH)}`), minor: BigInt(`0x${position.slice(WIDTH + 1)}`) };
}

export function comparePositions(a: Position, b: Position): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class InvalidPositionError extends Error {
  override readonly name = 'InvalidPositionError';

  constructor(readonly value: string) {
    super(`Not an event-store position: "${value}"`);
  }
}
