import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { NotFoundError } from '../errors/domain-error';
import { pathOf } from './adapter';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFilesOptions {
  /** The URL path the files are under, with its trailing slash: `/assets/`. */
  prefix: string;
  cacheControl: string;
  /** Which files of the directory to serve (relative names with `/`); all of them otherwise. */
  files?: readonly string[];
  /** A path under the prefix that is no file: the platform's 404 (true), or on to the next handler (false). */
  notFound: boolean;
}

type Middleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

interface StaticFile {
  body: Buffer;
  contentType: string;
}

/**
 * Serves the files of `dir` under `prefix` from memory, read once here, as middleware on Node's
 * request and answer, so it runs the same on either adapter (and Fastify needs no @fastify/static).
 * A file is found only by its exact name among those read: no path (`..`, encoded or not, a
 * directory) reaches anything else on disk. A directory that does not exist holds no files.
 */
export function staticFiles(dir: string, options: StaticFilesOptions): Middleware {
  const names = options.files ?? (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => name.split('\\').join('/')) : []);
  const files = new Map<string, StaticFile>();
  for (const name of names) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    files.set(name, { body: readFileSync(path), contentType: CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream' });
  }
  return (request, response, next) => {
    const path = pathOf(request as never);
    if (!path.startsWith(options.prefix) || (request.method !== 'GET' && request.method !== 'HEAD')) return next();
    const file = files.get(decoded(path.slice(options.prefix.length)));
    if (!file) return options.notFound ? next(new NotFoundError('File', path)) : next();
    response.statusCode = 200;
    response.setHeader('Content-Type', file.contentType);
    response.setHeader('Content-Length', file.body.length);
    response.setHeader('Cache-Control', options.cacheControl);
    response.end(request.method === 'HEAD' ? undefined : file.body);
  };
}

/** The name a path asks for; a malformed escape names no file. */
function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return '';
  }
}
