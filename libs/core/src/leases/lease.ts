import type { Knex } from 'knex';

/**
 * A lease this process holds (see LeaseWorker): the session advisory lock `(leaseClass, key)`,
 * held by the lease connection whose backend is `pid`.
 */
export interface Lease {
  readonly leaseClass: number;
  /** `hashtext(name)`, the lock's second key. */
  readonly key: number;
  readonly pid: number;
}

/**
 * Raised when a write fenced by a lease changes nothing: the lease is gone (its connection
 * dropped, so another process may run that work now) or the row it moves moved under it.
 */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

/**
 * Fencing: the update goes through only while the lease connection still holds the lease, asked
 * of `pg_locks` in the writing statement itself, so a process that lost its lease (and may not
 * know it yet) cannot commit over the one that holds it now. `key >>> 0` because `objid` is an
 * unsigned oid while `hashtext` is a signed int4; `objsubid = 2` is the two-key form of the lock.
 */
function fencedByLease(query: Knex.QueryBuilder, lease: Lease): Knex.QueryBuilder {
  return query.whereRaw(
    `exists (select 1 from pg_locks where locktype = 'advisory' and classid = ? and objid = ? and objsubid = 2 and pid = ? and granted)`,
    [lease.leaseClass, lease.key >>> 0, lease.pid],
  );
}

/**
 * Runs an update of exactly one row (a checkpoint), fenced by `lease` when there is one, and
 * throws LeaseLostError(`lost`) when it changed no row.
 */
export async function updateOneUnderLease(query: Knex.QueryBuilder, lease: Lease | undefined, lost: string): Promise<void> {
  const updated: unknown = await (lease ? fencedByLease(query, lease) : query);
  if (updated !== 1) throw new LeaseLostError(lost);
}
