import { createHash } from 'node:crypto';
import { normaliseEmail } from '../domain/email';

/** The UUID v5 namespace of user ids; changing it would orphan every user. */
const USER_ID_NAMESPACE = Buffer.from('3f1b6c2e8a9d4e7fb0c51d2a6e4f8b90', 'hex');

/**
 * A user's id is a name-based UUID (v5) of the normalised email, so the user's stream doubles as
 * the claim on that email: registering appends to `user-<id>` expecting no stream, and of two
 * registrations with one email exactly one can win, in the write model and in one append. The
 * alternative, a separate claim stream per email, takes two appends that a crash can split,
 * leaving an email claimed by nobody. The price is that emails cannot change without a new id.
 * The handlers derive it and put it in the command, as they would an id drawn from a port.
 */
export function userIdForEmail(email: string): string {
  const hash = createHash('sha1').update(USER_ID_NAMESPACE).update(normaliseEmail(email), 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
