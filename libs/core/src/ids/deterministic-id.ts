import { createHash } from 'node:crypto';

/** The UUID v5 namespace of ids derived from other ids; changing it would change every derived id. */
const DERIVED_ID_NAMESPACE = Buffer.from('8c4be0a47f1d4f0e9a3b2d61c5e7f913', 'hex');

/**
 * A name-based UUID (v5) of its parts, for example `deterministicId(sourceEventId, 'debit')`. A
 * reaction that writes with ids derived from what it reacts to writes the same ids when it is
 * delivered again, so the event store recognises the repeat and writes nothing.
 */
export function deterministicId(...parts: readonly string[]): string {
  const hash = createHash('sha1').update(DERIVED_ID_NAMESPACE).update(parts.join('\u0000'), 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
