import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { type Beak, canonicalBeak } from '../domain/beak';
import { BeakHashSlots } from './beak-hash-slots';

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

/**
 * Beaks are stored only as salted scrypt hashes: `scrypt$N$r$p$salt$key` (base64url). The cost
 * travels with each hash, so raising it later leaves existing hashes verifiable. The default cost
 * (N = 2^17, r = 8, p = 1: 128 MiB and a few hundred milliseconds) is OWASP's recommendation;
 * tests lower it through BEAK_HASH_COST. Every hash, made or checked, takes one of the `slots`.
 */
export class BeakHasher {
  private readonly parameters: ScryptParameters;
  /** Compared against when the email is unknown, so that answer takes as long as a wrong beak. */
  private readonly decoy: string;

  constructor(
    cost: number,
    private readonly slots: BeakHashSlots = BeakHashSlots.unlimited(),
  ) {
    this.parameters = { N: cost, r: BLOCK_SIZE, p: PARALLELISM };
    this.decoy = encode(this.parameters, Buffer.alloc(SALT_LENGTH), Buffer.alloc(KEY_LENGTH));
  }

  async hash(beak: Beak): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    return encode(this.parameters, salt, await this.slots.run(() => derive(canonicalBeak(beak), salt, this.parameters, KEY_LENGTH)));
  }

  /** Whether the beak is the one hashed; with no hash (unknown user) it spends the same time and says no. */
  async matches(beak: Beak, beakHash: string | undefined): Promise<boolean> {
    const { parameters, salt, key } = decode(beakHash ?? this.decoy);
    const candidate = await this.slots.run(() => derive(canonicalBeak(beak), salt, parameters, key.length));
    return timingSafeEqual(candidate, key) && beakHash !== undefined;
  }
}

function derive(secret: string, salt: Buffer, { N, r, p }: ScryptParameters, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, { N, r, p, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function encode({ N, r, p }: ScryptParameters, salt: Buffer, key: Buffer): string {
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function decode(encoded: string): { parameters: ScryptParameters; salt: Buffer; key: Buffer } {
  const [scheme, N, r, p, salt, key] = encoded.split('$');
  if (scheme !== 'scrypt' || key === undefined) throw new Error('Not a beak hash this version can read');
  return {
    parameters: { N: Number(N), r: Number(r), p: Number(p) },
    salt: Buffer.from(salt, 'base64url'),
    key: Buffer.from(key, 'base64url'),
  };
}
