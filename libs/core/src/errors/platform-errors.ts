/**
 * Codes that several error classes answer, and the HTTP layer too for errors that name no code
 * (by status): a class answering one is `defineError(UNAUTHENTICATED)`, so `GET /errors` lists
 * the code once, with one meaning.
 */
export const UNAUTHENTICATED = {
  code: 'UNAUTHENTICATED',
  status: 401,
  meaning: 'No valid access token: log in and send it as Authorization: Bearer <token> (GET /metrics: the metrics token)',
} as const;

export const FORBIDDEN = { code: 'FORBIDDEN', status: 403, meaning: 'The caller’s role may not do this' } as const;

export const SERVICE_UNAVAILABLE = {
  code: 'SERVICE_UNAVAILABLE',
  status: 503,
  meaning: 'A database, the event store or a busy resource is not available right now; try again after Retry-After seconds',
} as const;
