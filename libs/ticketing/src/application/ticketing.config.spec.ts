import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@app/core';
import { loadTicketingConfig } from './ticketing.config';

describe('TicketSafe settings: the master key', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ticketing-config-'));
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is the SHA-256 of TICKETING_MASTER_KEY when set, and writes no file', () => {
    const { masterKey } = loadTicketingConfig({ TICKETING_MASTER_KEY: 'correct horse battery staple' }, dataDir);
    expect(masterKey).toHaveLength(32);
    expect(masterKey.equals(createHash('sha256').update('correct horse battery staple', 'utf8').digest())).toBe(true);
    expect(() => statSync(join(dataDir, 'ticketing-master-key'))).toThrow();
  });

  it('unset, is generated into .data/ticketing-master-key (mode 0600) and the same on the next launch', () => {
    const first = loadTicketingConfig({}, dataDir).masterKey;
    const file = join(dataDir, 'ticketing-master-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first).toHaveLength(32);
    expect(first.equals(createHash('sha256').update(readFileSync(file, 'utf8').trim(), 'utf8').digest())).toBe(true);
    expect(loadTicketingConfig({}, dataDir).masterKey.equals(first)).toBe(true);
    expect(loadTicketingConfig({ TICKETING_MASTER_KEY: 'another' }, dataDir).masterKey.equals(first)).toBe(false);
  });

  it('must be set with NODE_ENV=production: the launch stops, and nothing is generated', () => {
    expect(() => loadTicketingConfig({ NODE_ENV: 'production' }, dataDir)).toThrow(ConfigError);
    expect(() => loadTicketingConfig({ NODE_ENV: 'production' }, dataDir)).toThrow('TICKETING_MASTER_KEY must be set when NODE_ENV=production');
    expect(() => statSync(join(dataDir, 'ticketing-master-key'))).toThrow();
    expect(loadTicketingConfig({ NODE_ENV: 'production', TICKETING_MASTER_KEY: 's3cret' }, dataDir).masterKey).toHaveLength(32);
  });
});
