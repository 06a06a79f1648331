/**
 * bench:orders' fake providers: one node:http process (not the product's, so its CPU is its own)
 * serving several restaurants' APIs as the `http` adapter calls them, each under its own path:
 * `POST /<key>/orders` (Idempotency-Key: the sub-order's id; the same key again answers the same
 * reference), `POST /<key>/orders/<providerRef>/cancel`, `GET /<key>/orders/<providerRef>`
 * (`{ status: "pending" }`: the bench, not this process, reports the statuses, by callbacks).
 *
 * A failing restaurant (ORDERS_PROVIDER_FAILING=`<key>:<fraction>`) answers 500 to that fraction
 * of its submit calls, drawn from a seeded generator (ORDERS_PROVIDER_SEED), so a retry of a
 * failed call may fail again. Cancels and polls never fail.
 *
 * For the bench only: `GET /_bench/received?from=<n>` lists the sub-orders taken (answered with a
 * reference), in the order they were taken, from the n-th; `GET /_bench/stats` counts the calls.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { seededRandom } from './bench-env';

/** A sub-order a restaurant took. */
export interface ReceivedSubOrder {
  key: string;
  subOrderId: string;
  providerRef: string;
}

/** Calls per restaurant. */
export interface ProviderCallStats {
  /** Submit calls answered with a reference, the first time for the sub-order. */
  taken: number;
  /** Submit calls for a sub-order already taken (answered with the same reference). */
  repeated: number;
  /** Submit calls answered 500 (the failing restaurant). */
  failed: number;
  cancels: number;
  polls: number;
}

interface Restaurant {
  key: string;
  failFraction: number;
  refs: Map<string, string>;
  stats: ProviderCallStats;
}

function serve(): void {
  const keys = (process.env.ORDERS_PROVIDER_KEYS ?? 'a,b,c').split(',').filter(Boolean);
  const [failKey, failFraction] = (process.env.ORDERS_PROVIDER_FAILING ?? '').split(':');
  const next = seededRandom(Number(process.env.ORDERS_PROVIDER_SEED ?? 1));
  const restaurants = new Map<string, Restaurant>(
    keys.map((key) => [key, { key, failFraction: key === failKey ? Number(failFraction) : 0, refs: new Map(), stats: { taken: 0, repeated: 0, failed: 0, cancels: 0, polls: 0 } }]),
  );
  const received: ReceivedSubOrder[] = [];

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const url = new URL(req.url ?? '/', 'http://provider');
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] === '_bench') {
      if (parts[1] === 'received') return answer(res, 200, received.slice(Number(url.searchParams.get('from') ?? 0)));
      if (parts[1] === 'stats') return answer(res, 200, Object.fromEntries([...restaurants].map(([key, r]) => [key, r.stats])));
      return answer(res, 404, { error: 'no such bench route' });
    }
    const restaurant = restaurants.get(parts[0] ?? '');
    if (!restaurant || parts[1] !== 'orders') return answer(res, 404, { error: 'no such route' });
    if (req.method === 'POST' && parts.length === 2) {
      let subOrderId = req.headers['idempotency-key'];
      try {
        subOrderId ??= (JSON.parse(raw) as { subOrderId?: string }).subOrderId;
      } catch {
        return answer(res, 400, { error: 'body is not JSON' });
      }
      if (typeof subOrderId !== 'string' || subOrderId === '') return answer(res, 400, { error: 'no Idempotency-Key and no subOrderId' });
      if (restaurant.failFraction > 0 && next() < restaurant.failFraction) {
        restaurant.stats.failed++;
        return answer(res, 500, { error: 'the kitchen is on fire (bench: a failed call)' });
      }
      const known = restaurant.refs.get(subOrderId);
      if (known) {
        restaurant.stats.repeated++;
        return answer(res, 200, { providerRef: known });
      }
      const providerRef = `${restaurant.key}-${randomUUID()}`;
      restaurant.refs.set(subOrderId, providerRef);
      restaurant.stats.taken++;
      received.push({ key: restaurant.key, subOrderId, providerRef });
      return answer(res, 201, { providerRef });
    }
    if (req.method === 'POST' && parts.length === 4 && parts[3] === 'cancel') {
      restaurant.stats.cancels++;
      return answer(res, 200, { status: 'cancelled' });
    }
    if (req.method === 'GET' && parts.length === 3) {
      restaurant.stats.polls++;
      return answer(res, 200, { status: 'pending' });
    }
    return answer(res, 404, { error: 'no such route' });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.keepAliveTimeout = 5000;
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
  // The bench ended without stopping it (killed): so does this process, rather than serve on as an orphan.
  process.once('disconnect', () => process.exit(0));
}

export interface RunningProviders {
  /** The base URL of restaurant `key`, as it is registered with the product. */
  baseUrl(key: string): string;
  pid: number;
  /** The sub-orders taken from the `from`-th on. */
  received(from: number): Promise<ReceivedSubOrder[]>;
  stats(): Promise<Record<string, ProviderCallStats>>;
  stop(): Promise<void>;
}

/** Starts the fake restaurants `keys` as a process of their own; `failing`: one that fails that fraction of its submits. */
export function startOrdersProviders(keys: readonly string[], options: { failing?: { key: string; fraction: number }; seed?: number } = {}): Promise<RunningProviders> {
  const env = {
    ...process.env,
    ORDERS_PROVIDER_KEYS: keys.join(','),
    ORDERS_PROVIDER_FAILING: options.failing ? `${options.failing.key}:${options.failing.fraction}` : '',
    ORDERS_PROVIDER_SEED: String(options.seed ?? 1),
  };
  const child: ChildProcess = fork(__filename, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the fake providers did not start within 30 s'));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the fake providers exited with ${code} during start-up`));
    });
    child.once('message', ({ port }: { port: number }) => {
      clearTimeout(timer);
      const root = `http://127.0.0.1:${port}`;
      const get = async <T>(path: string): Promise<T> => {
        const response = await fetch(`${root}${path}`);
        if (!response.ok) throw new Error(`fake providers: GET ${path} answered ${response.status}`);
        return (await response.json()) as T;
      };
      resolve({
        baseUrl: (key) => `${root}/${key}`,
        pid: child.pid!,
        received: (from) => get(`/_bench/received?from=${from}`),
        stats: () => get('/_bench/stats'),
        async stop() {
          process.off('exit', killOnExit);
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(kill);
        },
      });
    });
  });
}

if (require.main === module) serve();
