import type { NextFunction, Request, Response } from 'express';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, any>;

/** One response as the client received it. */
export interface Exchange {
  method: string;
  /** The request's path and query, as sent (`/tasks/123?after=…`). */
  url: string;
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** The raw body. */
  body: string;
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  params: number;
  operation: Json;
}

/** Paths that are not API operations: the document itself and the OpenAPI UI. */
const OUTSIDE_THE_DOCUMENT = /^\/docs(?:[/-]|$)/;

/**
 * Checks responses against an OpenAPI 3.1 document: the status is declared for the operation, the
 * body matches the declared schema of its media type (or there is none when none is declared), and
 * the declared headers are there and well formed. A response to a path the document does not list
 * (an unknown route) must still be the error body when it is an error.
 */
export class ResponseConformance {
  private readonly ajv: Ajv2020;
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly seen = new Set<string>();
  /** One line per distinct violation (operation, status and problem), in the order found. */
  readonly violations: string[] = [];
  /** How many responses were checked. */
  checked = 0;

  constructor(private readonly document: Json) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi');
    this.routes = [];
    for (const [template, item] of Object.entries<Json>(document.paths ?? {})) {
      for (const [method, operation] of Object.entries<Json>(item)) {
        if (typeof operation !== 'object' || !operation.responses) continue;
        const params = (template.match(/\{[^}]+\}/g) ?? []).length;
        const source = template.split(/\{[^}]+\}/).map(escapeRegExp).join('[^/]+');
        this.routes.push({ method: method.toUpperCase(), template, pattern: new RegExp(`^${source}/?$`), params, operation });
      }
    }
    // A literal segment wins over a parameter (`/tasks/mine` before `/tasks/{taskId}`), as in the router.
    this.routes.sort((a, b) => a.params - b.params);
  }

  /** Express middleware checking every response of the app once it is sent. */
  middleware() {
    return recordResponses((exchange) => this.check(exchange));
  }

  /** Checks one response; what is wrong is added to `violations` (and returned). */
  check(exchange: Exchange): string[] {
    this.checked += 1;
    const path = exchange.url.split('?')[0];
    if (OUTSIDE_THE_DOCUMENT.test(path)) return [];
    const route = this.routes.find((r) => r.method === exchange.method && r.pattern.test(path));
    const problems = route ? this.problemsOf(route, exchange) : this.problemsOfUnlisted(exchange);
    const name = route ? `${route.method} ${route.template} (${route.operation.operationId})` : `${exchange.method} ${path} (not in the document)`;
    const found: string[] = [];
    for (const problem of problems) {
      const line = `${name} answered ${exchange.status}: ${problem}`;
      found.push(line);
      if (this.seen.has(line)) continue;
      this.seen.add(line);
      this.violations.push(`${line}\n    request: ${exchange.method} ${truncate(exchange.url, 300)}\n    body: ${truncate(exchange.body, 500)}`);
    }
    return found;
  }

  /** Throws, listing every violation, when a response did not conform. */
  assertConforming(): void {
    if (this.violations.length === 0) return;
    throw new Error(
      `${this.violations.length} kind(s) of response did not conform to the API document (/docs-json), ` +
        `out of ${this.checked} responses checked. Fix the endpoint or its declaration (decorators, libs/core/src/http/openapi.ts):\n\n` +
        this.violations.slice(0, 30).join('\n\n') +
        (this.violations.length > 30 ? `\n\n… and ${this.violations.length - 30} more` : ''),
    );
  }

  private problemsOf(route: Route, exchange: Exchange): string[] {
    const responses = route.operation.responses as Json;
    const status = String(exchange.status);
    const declared = responses[status] ?? responses[`${status[0]}XX`] ?? responses.default;
    if (!declared) return [`status ${status} is not declared (declared: ${Object.keys(responses).join(', ')})`];
    const response = this.resolve(declared);
    const problems: string[] = [];
    for (const [name, header] of Object.entries<Json>(response.headers ?? {})) {
      const definition = this.resolve(header);
      const value = headerValue(exchange.headers, name);
      if (value === undefined) {
        if (definition.required) problems.push(`header ${name} is declared required but missing`);
        continue;
      }
      if (definition.schema) {
        const validate = this.validator(`${route.method} ${route.template} ${status} header ${name}`, definition.schema);
        const typed = /integer|number/.test(JSON.stringify(definition.schema.type ?? '')) && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
        if (!validate(typed)) problems.push(`header ${name}: ${JSON.stringify(value).slice(0, 100)} ${this.ajv.errorsText(validate.errors)}`);
      }
    }
    const content = response.content as Json | undefined;
    const contentType = String(headerValue(exchange.headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (!content || Object.keys(content).length === 0) {
      if (exchange.body.length > 0 && exchange.method !== 'HEAD') problems.push(`a body (${contentType || 'no content type'}) where none is declared`);
      return problems;
    }
    if (exchange.method === 'HEAD' || exchange.status === 204 || exchange.status === 304) return problems;
    const mediaType = Object.keys(content).find((m) => m.toLowerCase() === contentType) ?? (content['*/*'] ? '*/*' : undefined);
    if (!mediaType) return [...problems, `content type "${contentType}" is not declared (declared: ${Object.keys(content).join(', ')})`];
    const schema = content[mediaType].schema;
    if (!schema) return problems;
    let body: unknown = exchange.body;
    if (/json/.test(mediaType) || mediaType === '*/*') {
      try {
        body = JSON.parse(exchange.body);
      } catch {
        return [...problems, 'the body is not JSON'];
      }
    }
    const validate = this.validator(`${route.method} ${route.template} ${status} ${mediaType}`, schema);
    if (!validate(body)) problems.push(`the body does not match the declared schema: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}`);
    return problems;
  }

  /** A path the document does not list: an error must still be `{ error: { code, message, details } }`. */
  private problemsOfUnlisted(exchange: Exchange): string[] {
    if (exchange.status < 400) return [];
    const contentType = String(headerValue(exchange.headers, 'content-type') ?? '');
    if (!/json/.test(contentType)) return [`an error that is not JSON (${contentType || 'no content type'})`];
    const schema = this.document.components?.schemas?.Error ? { $ref: 'openapi#/components/schemas/Error' } : undefined;
    if (!schema) return [];
    const validate = this.validator('unlisted error', schema);
    let body: unknown;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      return ['the body is not JSON'];
    }
    return validate(body) ? [] : [`not the error body: ${this.ajv.errorsText(validate.errors)}`];
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(schema));
      this.validators.set(key, validate);
    }
    return validate;
  }

  private resolve(node: Json): Json {
    let current: Json | undefined = node;
    for (let hops = 0; current?.$ref && hops < 10; hops += 1) current = pointer(this.document, current.$ref);
    return current ?? {};
  }
}

/** Express middleware handing every response of the app, as sent, to `onResponse`. */
export function recordResponses(onResponse: (exchange: Exchange) => void) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const chunks: Buffer[] = [];
    const write = response.write.bind(response) as (...args: any[]) => boolean;
    const end = response.end.bind(response) as (...args: any[]) => Response;
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    };
    response.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as Response['write'];
    response.end = ((chunk?: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return end(chunk, ...rest);
    }) as Response['end'];
    response.on('finish', () => {
      onResponse({
        method: request.method,
        url: request.originalUrl,
        status: response.statusCode,
        headers: response.getHeaders() as Exchange['headers'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
    });
    next();
  };
}

/** Makes the document's local references (`#/components/…`) point into the registered document. */
function rebase(schema: unknown): any {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    copy[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `openapi${value}` : rebase(value);
  }
  return copy;
}

export function pointer(document: Json, ref: string): Json | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: any = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = node?.[key];
  }
  return node;
}

function headerValue(headers: Exchange['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value.join(', ') : String(value);
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}
