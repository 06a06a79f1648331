import { spawn } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { embeddedPasswordFile } from '@app/core/database/embedded-postgres';
import { exited } from './support/child-process';
import { freePort } from './support/ports';

/** The embedded server in a process of its own, as `npm start` runs it. */
async function startEmbeddedPostgres(options: { dataDir: string; port: number }): Promise<{ url: string; stop(): Promise<void> }> {
  const fixture = join(__dirname, '..', 'dist', 'test', 'fixtures', 'embedded-postgres.fixture.js');
  const child = spawn(process.execPath, [fixture, options.dataDir, String(options.port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready (\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited with ${code}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

async function canConnect(port: number, password: string): Promise<boolean> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('embedded PostgreSQL', () => {
  // Under .data like the test server's: the `postgres` system user must reach it (a mkdtemp folder is 0700).
  const root = join(__dirname, '..', '.data', `test-embedded-${process.pid}`);
  const dataDir = join(root, 'postgres');
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('has a generated superuser password, kept beside its data; a data directory with the old fixed one gets a new one', async () => {
    const first = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect(statSync(embeddedPasswordFile(dataDir)).mode & 0o777).toBe(0o600);
      expect(first.url).not.toContain('postgres:postgres@');
      expect(await canConnect(port, 'postgres')).toBe(false);
      // What a data directory made by an earlier version looks like: the fixed password, no file.
      const client = new Client({ connectionString: first.url });
      await client.connect();
      await client.query("alter role postgres password 'postgres'");
      await client.end();
    } finally {
      await first.stop();
    }
    rmSync(embeddedPasswordFile(dataDir));

    const second = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect(await canConnect(port, 'postgres')).toBe(false);
      const client = new Client({ connectionString: second.url });
      await client.connect();
      expect((await client.query('select current_database() as name')).rows[0].name).toBe('platform');
      await client.end();
      expect(statSync(embeddedPasswordFile(dataDir)).mode & 0o777).toBe(0o600);
    } finally {
      await second.stop();
    }
  }, 60_000);
});
