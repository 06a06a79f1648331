/**
 * The one way the app talks to the platform: its public HTTP API, with the session's token.
 * After each of the user's own commands the app remembers the `position` it answered and sends
 * it as `?after=` with every query, so what a person just did is on screen at once. A 503
 * `READ_MODEL_LAGGING` is retried after its `Retry-After`, while the page says it is catching up.
 */

export interface ApiErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** An answer that was not 2xx, with the platform's stable error code and its message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  /** The JSON body; a function is called at each send, so a retry after a refresh sends what is current then. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Queries wait for the user's last command by default; false asks without waiting. */
  afterLastCommand?: boolean;
}

interface Session {
  accessToken: string;
  refreshToken: string;
}

const SESSION_KEY = 'popug.session';
const LAGGING_RETRIES = 8;

let lastPosition: string | undefined;
const laggingListeners = new Set<() => void>();
let lagging = 0;
let onSignedOut: () => void = () => undefined;

export function storedSession(): Session | null {
  const raw = sessionStorage.getItem(SESSION_KEY);
  return raw ? (JSON.parse(raw) as Session) : null;
}

export function storeSession(session: Session | null): void {
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
  if (!session) lastPosition = undefined;
}

/** Called when the session ends on its own (a refused refresh), so the app shows the login page. */
export function whenSignedOut(listener: () => void): void {
  onSignedOut = listener;
}

/** The position of the user's last command, which queries wait for. */
export function lastCommandPosition(): string | undefined {
  return lastPosition;
}

/** Remembers a command's position (also one read from a stream of events). */
export function rememberPosition(position: unknown): void {
  if (typeof position === 'string' && position) lastPosition = position;
}

/** Whether some request is waiting for read models to catch up; for the "catching up" notice. */
export const laggingState = {
  subscribe(listener: () => void): () => void {
    laggingListeners.add(listener);
    return () => laggingListeners.delete(listener);
  },
  get: (): boolean => lagging > 0,
};

function setLagging(delta: number): void {
  lagging += delta;
  for (const listener of laggingListeners) listener();
}

export function url(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function authorization(): Record<string, string> {
  const session = storedSession();
  return session ? { Authorization: `Bearer ${session.accessToken}` } : {};
}

async function errorOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as { error?: ApiErrorBody } | null;
  const error = body?.error;
  return error
    ? new ApiError(response.status, error.code, error.message, error.details ?? {})
    : new ApiError(response.status, 'HTTP_' + response.status, `The server answered ${response.status} ${response.statusText}`);
}

let refreshing: Promise<boolean> | null = null;

/**
 * Whether `response` refused the session's access token (401 UNAUTHENTICATED: expired or
 * revoked) and a refresh got a new one, so the request is worth sending once more. Any other 401
 * (a wrong beak: INVALID_CREDENTIALS) is the answer itself and is not sent again.
 */
async function tokenExpired(response: Response): Promise<boolean> {
  if (response.status !== 401 || !storedSession()) return false;
  if ((await errorOf(response.clone())).code !== 'UNAUTHENTICATED') return false;
  return refreshSession();
}

/**
 * Trades the refresh token for a new access token once, however many requests found theirs
 * expired. Only a refused refresh token (400 or 401) ends the session; an outage (5xx, 429) is
 * an error of the request, and the session stays for the next try.
 */
function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const session = storedSession();
    if (!session) return false;
    const response = await fetch('/auth/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken: session.refreshToken }) });
    if (response.status === 400 || response.status === 401) {
      storeSession(null);
      onSignedOut();
      return false;
    }
    if (!response.ok) throw await errorOf(response);
    const next = (await response.json()) as Session;
    storeSession({ accessToken: next.accessToken, refreshToken: next.refreshToken });
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Sends one request; throws ApiError for any answer that is not 2xx. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const isQuery = method === 'GET';
  const query = { ...(isQuery && options.afterLastCommand !== false ? { after: lastPosition } : {}), ...options.query };
  const send = () =>
    fetch(url(path, query), {
      method,
      signal: options.signal,
      headers: { ...authorization(), ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
      body: options.body !== undefined ? JSON.stringify(typeof options.body === 'function' ? (options.body as () => unknown)() : options.body) : undefined,
    });
  let response = await send();
  if (await tokenExpired(response)) response = await send();
  for (let attempt = 1; response.status === 503 && attempt <= LAGGING_RETRIES && isQuery; attempt += 1) {
    const error = await errorOf(response.clone());
    if (error.code !== 'READ_MODEL_LAGGING') break;
    setLagging(1);
    try {
      await sleep(Math.min(5, Number(response.headers.get('Retry-After')) || 1) * 1000, options.signal);
      response = await send();
    } finally {
      setLagging(-1);
    }
  }
  if (!response.ok) throw await errorOf(response);
  const text = await response.text();
  const body = (text ? JSON.parse(text) : null) as T;
  if (!isQuery) rememberPosition((body as { position?: unknown } | null)?.position);
  return body;
}

export const api = {
  get: <T>(path: string, query?: Query, options: Omit<RequestOptions, 'query'> = {}) => request<T>('GET', path, { ...options, query }),
  post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}) => request<T>('POST', path, { ...options, body: body ?? {} }),
  put: <T>(path: string, body: unknown, options: Omit<RequestOptions, 'body'> = {}) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body: unknown, options: Omit<RequestOptions, 'body'> = {}) => request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options: RequestOptions = {}) => request<T>('DELETE', path, options),
};

/** A list page as every paged endpoint answers it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Reads a `text/event-stream` with the session's token (EventSource cannot send one), calling
 * `onEvent` with each event's name and parsed data until `signal` aborts. Reconnects after a drop
 * (after a pause), with `Last-Event-ID` when the stream gave ids, so a stream that resumes sends
 * what was missed.
 */
export async function subscribe(path: string, onEvent: (event: string, data: unknown) => void, signal: AbortSignal): Promise<void> {
  let lastId: string | undefined;
  while (!signal.aborted) {
    try {
      const open = () => fetch(path, { headers: { ...authorization(), Accept: 'text/event-stream', ...(lastId ? { 'Last-Event-ID': lastId } : {}) }, signal });
      let response = await open();
      if (await tokenExpired(response)) response = await open();
      if (!response.ok || !response.body) throw await errorOf(response);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
            else if (line.startsWith('id:')) lastId = line.slice(3).trim() || lastId;
          }
          if (data.length) onEvent(event, JSON.parse(data.join('\n')));
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && error.status < 500) throw error;
    }
    await sleep(1000, signal);
  }
}
