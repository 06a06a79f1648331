import { setTimeout as sleep } from 'node:timers/promises';

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** An answer the seed did not expect: the method, path, status and the error's code and message. */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`${method} ${path} answered ${status}${code ? ` ${code}` : ''}: ${detail}`);
  }
}

/** How many times a 503 (`READ_MODEL_LAGGING`, `ACCOUNTING_CATCHING_UP`, …) is asked again, after its `Retry-After`. */
const RETRIES_ON_503 = 20;

/**
 * The platform's HTTP API as a client sees it (API.md): JSON bodies, bearer tokens, and
 * read-your-writes: every query is sent with `?after=` the highest position any command of this
 * client answered, so it reads what the seed wrote, whichever read model serves it.
 */
export class ApiClient {
  private after: string | null = null;

  constructor(readonly baseUrl: string) {}

  /** Remembers a command's position: later queries wait for it. Positions are fixed-width hex, so they compare as text. */
  private saw(body: unknown): void {
    const position = (body as { position?: unknown } | null)?.position;
    if (typeof position === 'string' && (this.after === null || position > this.after)) this.after = position;
  }

  async request<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string>; ok?: number[] } = {},
  ): Promise<ApiAnswer<T>> {
    const url = new URL(path, this.baseUrl);
    if (method === 'GET' && this.after) url.searchParams.set('after', this.after);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
      const text = await response.text();
      const body = text ? JSON.parse(text) : null;
      if (response.status === 503 && attempt < RETRIES_ON_503) {
        const seconds = Number(response.headers.get('retry-after'));
        await sleep(Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 5) * 1000 : 500);
        continue;
      }
      const ok = options.ok ?? [200, 201, 202];
      if (!ok.includes(response.status)) {
        const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
        throw new ApiError(method, path, response.status, error?.code, error?.message ?? text.slice(0, 200));
      }
      if (response.status < 300) this.saw(body);
      return { status: response.status, body: body as T, headers: response.headers };
    }
  }

  get<T = any>(path: string, token: string): Promise<T> {
    return this.request<T>('GET', path, { token }).then((answer) => answer.body);
  }

  /** Every item of a paged list (`{ items, nextCursor }`). */
  async all<T = any>(path: string, token: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page: { items: T[]; nextCursor?: string | null } = await this.get(`${path}${separator}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
      items.push(...page.items);
      cursor = page.nextCursor ?? null;
    } while (cursor);
    return items;
  }
}
