import { Injectable } from '@nestjs/common';
import { ReadModels } from '@app/core';
import { customersQueries, type SealedCustomerRow } from '@app/projections/ticketing/customers/customers.queries';
import { CustomerKeyVault } from './customer-key-vault';
import { decryptPersonalData } from './personal-data-cipher';

/** What a reservation shows of its customer: their personal data for tickets, or null (none given, or forgotten). */
export interface CustomerOnTicket {
  fullName: string;
  email: string;
}

/**
 * Reads customers' personal data back for answers: decrypted with their data key, null for a
 * customer who gave none or was forgotten (their key is gone).
 *
 * It reads the `ticketing_customers` read model: an endpoint marked `@ReadsFrom(...)` that answers
 * reservations must list `customersProjection` too.
 */
@Injectable()
export class PersonalData {
  constructor(
    private readonly readModels: ReadModels,
    private readonly vault: CustomerKeyVault,
  ) {}

  /** One query for all of them, whatever their number; each id once in the answer, null when it cannot be read. */
  async reveal(userIds: readonly string[]): Promise<Map<string, CustomerOnTicket | null>> {
    const revealed = new Map<string, CustomerOnTicket | null>(userIds.map((id) => [id, null]));
    if (revealed.size === 0) return revealed;
    for (const row of await this.readModels.use(customersQueries).sealedFor([...revealed.keys()])) {
      revealed.set(row.user_id, this.decrypt(row));
    }
    return revealed;
  }

  /** Null when it cannot be decrypted: a key wrapped under another master key, or a changed row. */
  private decrypt(row: SealedCustomerRow): CustomerOnTicket | null {
    try {
      const { fullName, email } = decryptPersonalData(this.vault.unwrap(row), row, { userId: row.user_id, keyId: row.key_id });
      return { fullName, email };
    } catch {
      return null;
    }
  }
}
