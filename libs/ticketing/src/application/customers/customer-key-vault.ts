import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from 'knex';
import { KNEX } from '@app/core';
import { TICKETING_CONFIG, type TicketingConfig } from '../ticketing.config';
import { newDataKey, unwrapDataKey, wrapDataKey } from './personal-data-cipher';

/** A row of `ticketing_customer_keys` (migration 010): one data key of one customer, wrapped by the master key. */
export interface CustomerKeyRow {
  key_id: string;
  user_id: string;
  wrapped_key: string;
  created_at: Date;
}

const KEYS = 'ticketing_customer_keys';
/** The advisory lock space of a customer's key: two first PUTs at once make one key, not two. */
const KEY_LOCK_SPACE = 7300;

/**
 * Customers' data keys, out of the log on purpose: made on a customer's first personal data,
 * wrapped (AES-256-GCM) under the master key (TICKETING_MASTER_KEY), and destroyed when they are
 * forgotten. Once destroyed, nothing can decrypt what the log holds of them: crypto-shredding.
 */
@Injectable()
export class CustomerKeyVault {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(TICKETING_CONFIG) private readonly config: TicketingConfig,
  ) {}

  /**
   * The customer's data key, made (and stored wrapped) when they have none: on their first
   * personal data, and again after they were forgotten. A key this master key cannot unwrap (the
   * master key was changed) is left as it is and a new one is made: what it encrypted was lost
   * with the old master key, and the customer's new data is readable again.
   */
  async keyFor(userId: string): Promise<{ keyId: string; dataKey: Buffer }> {
    return this.knex.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [KEY_LOCK_SPACE, userId]);
      const latest = await trx<CustomerKeyRow>(KEYS).where({ user_id: userId }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'key_id' }]).first();
      const unwrapped = latest ? this.tryUnwrap(latest) : null;
      if (latest && unwrapped) return { keyId: latest.key_id, dataKey: unwrapped };
      const keyId = randomUUID();
      const dataKey = newDataKey();
      await trx<CustomerKeyRow>(KEYS).insert({ key_id: keyId, user_id: userId, wrapped_key: wrapDataKey(this.config.masterKey, dataKey, { userId, keyId }) });
      return { keyId, dataKey };
    });
  }

  /** A stored key unwrapped; throws under another master key or for a row changed in the table. */
  unwrap(row: Pick<CustomerKeyRow, 'key_id' | 'user_id' | 'wrapped_key'>): Buffer {
    return unwrapDataKey(this.config.masterKey, row.wrapped_key, { userId: row.user_id, keyId: row.key_id });
  }

  /** Deletes every key of the customer; answers how many there were. */
  async destroy(userId: string): Promise<number> {
    return this.knex<CustomerKeyRow>(KEYS).where({ user_id: userId }).delete();
  }

  private tryUnwrap(row: CustomerKeyRow): Buffer | null {
    try {
      return this.unwrap(row);
    } catch {
      return null;
    }
  }
}
