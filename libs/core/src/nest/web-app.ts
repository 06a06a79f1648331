import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { pathOf } from '../http/adapter';
import { staticFiles } from '../http/static-files';

/** Paths the platform answers itself besides the documented API: the OpenAPI UI and its document, and the metrics. */
const UNDOCUMENTED_API_SEGMENTS = ['docs', 'docs-json', 'docs-yaml', 'metrics'];

/**
 * The first path segment of every API route (from the API document's paths), so the app's own
 * paths never shadow one: `/tasks`, `/ledger`, ... stay the API's, whatever the Accept header says.
 */
export function apiSegments(documentPaths: readonly string[]): Set<string> {
  return new Set([...documentPaths.map((path) => path.split('/')[1]).filter((segment): segment is string => !!segment), ...UNDOCUMENTED_API_SEGMENTS]);
}

/**
 * Serves the single-page web app built into `webDir`: its hashed assets under `/assets` (cached
 * for good, as their names change with their content) and `index.html` for `/` and for a browser's
 * GET (one that accepts text/html) of any other path outside the API, so an address typed by hand
 * opens the app. API clients keep their JSON 404 for unknown paths. Without a build (no
 * index.html) nothing is served. Both run as middleware on Node's request, on either adapter.
 */
export function serveWebApp(app: INestApplication, webDir: string, documentPaths: readonly string[]): boolean {
  const indexFile = join(webDir, 'index.html');
  if (!existsSync(indexFile)) return false;
  const index = readFileSync(indexFile);
  const api = apiSegments(documentPaths);
  // A missing asset is the platform's 404, not the app: a stale page asking for an old hash must fail visibly.
  app.use(staticFiles(join(webDir, 'assets'), { prefix: '/assets/', cacheControl: 'public, max-age=31536000, immutable', notFound: true }));
  app.use((request: IncomingMessage, response: ServerResponse, next: () => void) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const segment = pathOf(request as never).split('/')[1] ?? '';
    if (api.has(segment) || (segment !== '' && !String(request.headers.accept ?? '').includes('text/html'))) return next();
    response.statusCode = 200;
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache');
    response.end(request.method === 'HEAD' ? undefined : index);
  });
  return true;
}
