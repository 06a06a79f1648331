import { Agent, request } from 'node:http';

export interface JsonResponse<Body = any> {
  status: number;
  body: Body;
}

/** What a request sends besides its method and path: a bearer token, a JSON body, other headers (an Idempotency-Key). */
export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A small JSON client over keep-alive connections: node:http costs the load generator less than fetch. */
export class JsonClient {
  private readonly agent: Agent;

  constructor(
    private readonly baseUrl: string,
    maxSockets = 64,
  ) {
    // Idle sockets close before the server's 5 s keep-alive timeout would: reusing one the server
    // is closing at that moment fails with ECONNRESET, an error of the load generator, not the product.
    this.agent = new Agent({ keepAlive: true, maxSockets, timeout: 4000 });
  }

  send<Body = any>(method: string, path: string, options: RequestOptions = {}): Promise<JsonResponse<Body>> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { ...options.headers };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    return new Promise((resolve, reject) => {
      const req = request(`${this.baseUrl}${path}`, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text.length > 0 ? JSON.parse(text) : undefined;
          } catch {
            // Not JSON: the caller sees the text.
          }
          resolve({ status: res.statusCode ?? 0, body: body as Body });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like send, but anything other than 2xx is an error naming the request and the answer. */
  async expectOk<Body = any>(method: string, path: string, options: RequestOptions = {}): Promise<Body> {
    const response = await this.send<Body>(method, path, options);
    if (response.status < 200 || response.status > 299) {
      throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `task` for every item with at most `limit` at a time. */
export async function inParallel<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index], index);
    }
  });
  await Promise.all(lanes);
}

/**
 * bench:http's task-creation load as autocannon requests: `POST /tasks` with the users' tokens in
 * turn, each task numbered; `onCreated` is told each 201's body. bench:reactions drives the same.
 */
export function createTaskRequests(
  users: ReadonlyArray<{ token: string }>,
  source: string,
  onCreated: (task: { taskId: string; assigneeId: string }) => void,
): Array<Record<string, unknown>> {
  let n = 0;
  return [
    {
      method: 'POST',
      path: '/tasks',
      setupRequest: (request: Record<string, unknown>) => {
        const i = n++;
        return {
          ...request,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${users[i % users.length].token}` },
          body: JSON.stringify({ title: `Load task ${i}`, description: `Created by ${source}` }),
        };
      },
      onResponse: (status: number, body: string) => {
        if (status === 201) onCreated(JSON.parse(body) as { taskId: string; assigneeId: string });
      },
    },
  ];
}

/** The admin the benches' products bootstrap (BOOTSTRAP_ADMIN_*), and the beak every bench worker registers with. */
export const BENCH_ADMIN = { email: 'bench-admin@example.com', beak: { length: 4.2, depth: 1.5, width: 1.1, curvature: 0.3 } };
export const BENCH_WORKER_BEAK = { length: 3.1, depth: 1.2, width: 0.9, curvature: 0.2 };

/** A logged-in user of a bench. */
export interface BenchUser {
  userId: string;
  token: string;
}

/**
 * The admin and `count` workers registered through the API, each logged in once. Registration and
 * login each derive a slow hash (BEAK_HASH_COST): a few at a time, once, never under load.
 */
export async function seedBenchUsers(client: JsonClient, count: number): Promise<{ admin: BenchUser; workers: BenchUser[] }> {
  const admin = await loginBenchUser(client, BENCH_ADMIN.email, BENCH_ADMIN.beak);
  const workers: BenchUser[] = new Array(count);
  await inParallel([...Array(count).keys()], 4, async (i) => {
    const email = `bench-worker-${i}@example.com`;
    await client.expectOk('POST', '/auth/register', { body: { name: `Worker ${i}`, email, beak: BENCH_WORKER_BEAK } });
    workers[i] = await loginBenchUser(client, email, BENCH_WORKER_BEAK);
  });
  return { admin, workers };
}

/** POST /auth/login: the user's id and access token. */
export async function loginBenchUser(client: JsonClient, email: string, beak: unknown): Promise<BenchUser> {
  const body = await client.expectOk<{ accessToken: string; userId: string }>('POST', '/auth/login', { body: { email, beak } });
  return { userId: body.userId, token: body.accessToken };
}
