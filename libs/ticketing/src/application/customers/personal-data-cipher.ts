import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The encryption of customers' personal data (AES-256-GCM throughout): each customer's details
 * under their own data key, and each data key wrapped under the master key. Every encryption draws
 * a fresh 12-byte IV; the 16-byte tag authenticates the ciphertext and what it is bound to (the
 * customer and the key, as additional data), so a ciphertext copied to another customer, a
 * tampered one, or one opened with another key fails instead of decrypting to something.
 */

/** What a customer gives for their tickets, in clear text: it exists only in memory. */
export interface PersonalDetails {
  fullName: string;
  email: string;
  phone: string | null;
}

/** One AES-256-GCM encryption, each part base64: as CustomerPersonalDataSet carries it. */
export interface Sealed {
  iv: string;
  ciphertext: string;
  tag: string;
}

/** Whose key, which key: bound into every encryption as additional authenticated data. */
export interface KeyOwner {
  userId: string;
  keyId: string;
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** The wrapped form's version: `v1.<iv>.<tag>.<ciphertext>`, base64 each. */
const WRAPPED_VERSION = 'v1';

function assertKey(key: Buffer, what: string): void {
  if (key.length !== KEY_BYTES) throw new Error(`${what} must be ${KEY_BYTES} bytes, not ${key.length}`);
}

export function seal(key: Buffer, plaintext: Buffer, additionalData: string): Sealed {
  assertKey(key, 'An AES-256 key');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(additionalData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** The plaintext; throws when the key is not the one it was sealed with, or anything was changed. */
export function open(key: Buffer, sealed: Sealed, additionalData: string): Buffer {
  assertKey(key, 'An AES-256 key');
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('Not an AES-256-GCM encryption: wrong IV or tag length');
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(additionalData, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
}

const detailsData = ({ userId, keyId }: KeyOwner) => `ticketing-customer-personal-data:${userId}:${keyId}`;
const dataKeyData = ({ userId, keyId }: KeyOwner) => `ticketing-customer-data-key:${userId}:${keyId}`;

/** A new data key for one customer: 32 random bytes. */
export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function encryptPersonalData(dataKey: Buffer, details: PersonalDetails, owner: KeyOwner): Sealed {
  const { fullName, email, phone } = details;
  return seal(dataKey, Buffer.from(JSON.stringify({ fullName, email, phone }), 'utf8'), detailsData(owner));
}

/** The clear text back; throws when the key, the owner or the ciphertext is not the one sealed. */
export function decryptPersonalData(dataKey: Buffer, sealed: Sealed, owner: KeyOwner): PersonalDetails {
  const parsed = JSON.parse(open(dataKey, sealed, detailsData(owner)).toString('utf8')) as Partial<PersonalDetails>;
  if (typeof parsed.fullName !== 'string' || typeof parsed.email !== 'string') throw new Error('Decrypted personal data without fullName and email');
  return { fullName: parsed.fullName, email: parsed.email, phone: typeof parsed.phone === 'string' ? parsed.phone : null };
}

/** The data key under the master key, as `ticketing_customer_keys.wrapped_key` keeps it. */
export function wrapDataKey(masterKey: Buffer, dataKey: Buffer, owner: KeyOwner): string {
  assertKey(dataKey, 'A data key');
  const { iv, tag, ciphertext } = seal(masterKey, dataKey, dataKeyData(owner));
  return [WRAPPED_VERSION, iv, tag, ciphertext].join('.');
}

/** The data key; throws under another master key, for another owner, or for a changed wrapped key. */
export function unwrapDataKey(masterKey: Buffer, wrapped: string, owner: KeyOwner): Buffer {
  const [version, iv, tag, ciphertext, ...rest] = wrapped.split('.');
  if (version !== WRAPPED_VERSION || ciphertext === undefined || rest.length > 0) throw new Error('Not a wrapped data key');
  const dataKey = open(masterKey, { iv, tag, ciphertext }, dataKeyData(owner));
  assertKey(dataKey, 'A data key');
  return dataKey;
}
