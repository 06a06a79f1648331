import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadIdentityConfig } from './identity.config';

describe('identity config', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'identity-config-')), 'data');
  });
  afterEach(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('uses JWT_SECRET when set', () => {
    expect(loadIdentityConfig({ JWT_SECRET: 'from the environment' }, dataDir).jwtSecret.toString()).toBe('from the environment');
  });

  it('without JWT_SECRET, generates one under the data directory and keeps it across restarts', () => {
    const first = loadIdentityConfig({}, dataDir).jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadIdentityConfig({}, dataDir).jwtSecret).toEqual(first);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8')).toBe(first.toString());
    expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir)).toEqual(['jwt-secret']);
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => loadIdentityConfig({ NODE_ENV: 'production' }, dataDir)).toThrow(/JWT_SECRET/);
  });

  it('reads the bootstrap admin, with a default name', () => {
    const config = loadIdentityConfig(
      { JWT_SECRET: 's', BOOTSTRAP_ADMIN_EMAIL: 'root@popug.io', BOOTSTRAP_ADMIN_BEAK: '{"length":1,"depth":2,"width":3,"curvature":0.5}' },
      dataDir,
    );
    expect(config.bootstrapAdmin).toEqual({ name: 'Administrator', email: 'root@popug.io', beak: { length: 1, depth: 2, width: 3, curvature: 0.5 } });
    expect(loadIdentityConfig({ JWT_SECRET: 's' }, dataDir).bootstrapAdmin).toBeNull();
  });

  it('refuses half a bootstrap admin, a bad email or a bad beak, naming the variable', () => {
    const beak = '{"length":1,"depth":2,"width":3,"curvature":0.5}';
    expect(() => loadIdentityConfig({ JWT_SECRET: 's', BOOTSTRAP_ADMIN_EMAIL: 'root@popug.io' }, dataDir)).toThrow(/BOOTSTRAP_ADMIN_BEAK/);
    expect(() => loadIdentityConfig({ JWT_SECRET: 's', BOOTSTRAP_ADMIN_EMAIL: 'root', BOOTSTRAP_ADMIN_BEAK: beak }, dataDir)).toThrow(/BOOTSTRAP_ADMIN_EMAIL/);
    for (const bad of ['{', '{"length":1}', '{"length":1,"depth":2,"width":3,"curvature":-1}', '[1,2,3,4]']) {
      expect(() => loadIdentityConfig({ JWT_SECRET: 's', BOOTSTRAP_ADMIN_EMAIL: 'root@popug.io', BOOTSTRAP_ADMIN_BEAK: bad }, dataDir)).toThrow(
        /BOOTSTRAP_ADMIN_BEAK/,
      );
    }
  });

  it('refuses a hash cost that is not a power of two, or a token lifetime that is not a positive whole number', () => {
    expect(() => loadIdentityConfig({ JWT_SECRET: 's', BEAK_HASH_COST: 'lots' }, dataDir)).toThrow(/BEAK_HASH_COST/);
    expect(() => loadIdentityConfig({ JWT_SECRET: 's', BEAK_HASH_COST: '1000' }, dataDir)).toThrow(/BEAK_HASH_COST must be a power of two/);
    expect(loadIdentityConfig({ JWT_SECRET: 's', BEAK_HASH_COST: '1024' }, dataDir).beakHashCost).toBe(1024);
    expect(() => loadIdentityConfig({ JWT_SECRET: 's', JWT_TTL_SECONDS: '0' }, dataDir)).toThrow(/JWT_TTL_SECONDS/);
  });
});
