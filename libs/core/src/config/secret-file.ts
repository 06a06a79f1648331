import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A secret kept in `file` (mode 0600), made on first use (random unless `make` says otherwise). Processes starting together agree:
 * each writes a candidate and links it into place, which only the first can do, so nobody reads a
 * half-written file.
 */
export function readOrCreateSecret(file: string, make: () => string = () => randomBytes(32).toString('base64url')): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const candidate = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(candidate, make(), { mode: 0o600 });
    try {
      linkSync(candidate, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(candidate);
    }
  }
  return readFileSync(file, 'utf8').trim();
}
