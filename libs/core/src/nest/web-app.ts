import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

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
 * index.html) nothing is served.
 */
export function serveWebApp(app: INestApplication, webDir: string, documentPaths: readonly string[]): boolean {
  const indexFile = join(webDir, 'index.html');
  if (!existsSync(indexFile)) return false;
  const index = readFileSync(indexFile);
  const api = apiSegments(documentPaths);
  (app as NestExpressApplication).useStaticAssets(join(webDir, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d', index: false, fallthrough: false });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const segment = request.path.split('/')[1] ?? '';
    if (api.has(segment) || (segment !== '' && !String(request.headers.accept ?? '').includes('text/html'))) return next();
    response.status(200).set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
    response.end(request.method === 'HEAD' ? undefined : index);
  });
  return true;
}
