import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, type RunningProduct, startServerProcess } from './product-process';

/**
 * Starts bench:http's Emmett peer (bench/emmett-tasks-server.ts) as a process of its own, so its CPU
 * time is read from /proc like the product's, on a free port, against `databaseUrl`, with `workers`
 * (user ids) as the only possible assignees. Resolves when its /health answers.
 */
export async function startEmmettPeer(databaseUrl: string, workers: readonly string[]): Promise<RunningProduct> {
  const port = await freePort();
  const logDir = join(__dirname, '..', '..', '.data', 'bench');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, 'emmett-peer.log');
  return startServerProcess({
    what: 'the Emmett peer',
    args: [join(__dirname, 'emmett-tasks-server.js')],
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), BENCH_PEER_WORKERS: workers.join(',') },
    port,
    logFile,
    healthTimeoutMs: 60_000,
    stopTimeoutMs: 10_000,
  });
}
