import { randomBytes } from 'node:crypto';
import { decryptPersonalData, encryptPersonalData, newDataKey, type Sealed, unwrapDataKey, wrapDataKey } from './personal-data-cipher';

const ann = { userId: 'a0000000-0000-4000-8000-000000000001', keyId: 'c0000000-0000-4000-8000-000000000001' };
const bob = { userId: 'b0000000-0000-4000-8000-000000000002', keyId: 'c0000000-0000-4000-8000-000000000002' };
const details = { fullName: 'Ann Smith', email: 'ann@example.com', phone: '+44 20 7946 0958' };

/** The same base64 with one bit of its first byte flipped. */
function flipped(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0] ^= 0x01;
  return bytes.toString('base64');
}

describe('personal data encryption (AES-256-GCM)', () => {
  const dataKey = newDataKey();

  it('decrypts what it encrypted, with the same key and owner', () => {
    const sealed = encryptPersonalData(dataKey, details, ann);
    expect(decryptPersonalData(dataKey, sealed, ann)).toEqual(details);
    expect(decryptPersonalData(dataKey, encryptPersonalData(dataKey, { ...details, phone: null }, ann), ann)).toEqual({ ...details, phone: null });
  });

  it('holds no clear text, and draws a fresh 12-byte IV each time, so the same data never encrypts the same', () => {
    const first = encryptPersonalData(dataKey, details, ann);
    const second = encryptPersonalData(dataKey, details, ann);
    expect(Buffer.from(first.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(first.tag, 'base64')).toHaveLength(16);
    expect(first.iv).not.toBe(second.iv);
    expect(first.ciphertext).not.toBe(second.ciphertext);
    const everything = JSON.stringify(first) + Buffer.from(first.ciphertext, 'base64').toString('latin1');
    for (const clear of ['Ann', 'Smith', 'ann@example.com', 'example', '7946']) expect(everything).not.toContain(clear);
  });

  it('refuses a tampered ciphertext, IV or tag', () => {
    const sealed = encryptPersonalData(dataKey, details, ann);
    const tampered: Sealed[] = [
      { ...sealed, ciphertext: flipped(sealed.ciphertext) },
      { ...sealed, iv: flipped(sealed.iv) },
      { ...sealed, tag: flipped(sealed.tag) },
      { ...sealed, tag: Buffer.from(sealed.tag, 'base64').subarray(0, 12).toString('base64') },
    ];
    for (const changed of tampered) expect(() => decryptPersonalData(dataKey, changed, ann)).toThrow();
  });

  it('refuses another key, and another customer’s ciphertext copied to this one', () => {
    const sealed = encryptPersonalData(dataKey, details, ann);
    expect(() => decryptPersonalData(newDataKey(), sealed, ann)).toThrow();
    expect(() => decryptPersonalData(dataKey, sealed, { ...bob, keyId: ann.keyId })).toThrow();
    expect(() => decryptPersonalData(dataKey, sealed, { ...ann, keyId: bob.keyId })).toThrow();
  });
});

describe('data keys wrapped under the master key', () => {
  const masterKey = randomBytes(32);
  const dataKey = newDataKey();

  it('unwraps the data key it wrapped, which then decrypts the customer’s data', () => {
    const wrapped = wrapDataKey(masterKey, dataKey, ann);
    expect(wrapped).not.toContain(dataKey.toString('base64'));
    const unwrapped = unwrapDataKey(masterKey, wrapped, ann);
    expect(unwrapped.equals(dataKey)).toBe(true);
    expect(decryptPersonalData(unwrapped, encryptPersonalData(dataKey, details, ann), ann)).toEqual(details);
  });

  it('refuses a wrong master key', () => {
    const wrapped = wrapDataKey(masterKey, dataKey, ann);
    expect(() => unwrapDataKey(randomBytes(32), wrapped, ann)).toThrow();
  });

  it('refuses a tampered wrapped key, one moved to another customer or key id, and what is not a wrapped key', () => {
    const wrapped = wrapDataKey(masterKey, dataKey, ann);
    const [version, iv, tag, ciphertext] = wrapped.split('.');
    expect(() => unwrapDataKey(masterKey, [version, iv, tag, flipped(ciphertext)].join('.'), ann)).toThrow();
    expect(() => unwrapDataKey(masterKey, [version, iv, flipped(tag), ciphertext].join('.'), ann)).toThrow();
    expect(() => unwrapDataKey(masterKey, wrapped, { ...ann, userId: bob.userId })).toThrow();
    expect(() => unwrapDataKey(masterKey, wrapped, { ...ann, keyId: bob.keyId })).toThrow();
    expect(() => unwrapDataKey(masterKey, dataKey.toString('base64'), ann)).toThrow('Not a wrapped data key');
  });

  it('takes only 32-byte keys', () => {
    expect(() => wrapDataKey(randomBytes(16), dataKey, ann)).toThrow('32 bytes');
    expect(() => encryptPersonalData(randomBytes(16), details, ann)).toThrow('32 bytes');
  });
});
