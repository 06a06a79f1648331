import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { POSITION_PATTERN as EVENT_STORE_POSITION } from '@app/eventstore';
import { CORRELATION_ID } from './request-context.middleware';
import { CONTEXTS, type ContextDefinition } from '../nest/context';

/**
 * The API document, built once from the controllers' decorators and then completed by rules that
 * hold for every operation, present and future, so that no endpoint has to repeat them:
 *
 * - every operation answers errors as `{ error: { code, message, details } }` (the `Error`
 *   schema); the statuses it can answer are declared, each with the codes it can carry;
 * - the codes of a declared error response are read from its description, which starts with
 *   them: `EMAIL_TAKEN: someone has that email`, `NOT_ASSIGNEE or NOT_FOUND: …`;
 * - the request headers `X-Trace-Key` and `X-Correlation-Id`, the response headers that echo them,
 *   and `Retry-After` on every 429 and 503;
 * - `operationId`s from the controller and method names; `security: []` on public operations;
 * - OpenAPI 3.1: `nullable` (which validators reject next to `allOf`) becomes `type: [T, 'null']`
 *   or `oneOf: [schema, { type: 'null' }]`.
 *
 * What a rule cannot know (a summary, a response body, the codes of a business rule) stays with
 * the decorators, and test/openapi-document.spec.ts fails for an operation that lacks it.
 */

export const ERROR_SCHEMA_NAME = 'Error';

/** What an event-store position looks like, as `isPosition` checks it. */
export const POSITION_PATTERN = EVENT_STORE_POSITION.source;

/** `Idempotency-Key`, for the endpoints that take one (declare it with `@ApiHeader(IDEMPOTENCY_KEY_HEADER)`). */
export const IDEMPOTENCY_KEY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A repeat with the same key and body answers the first answer again (with `Idempotency-Hit: true`); another body with the same key is 409 `IDEMPOTENCY_KEY_REUSED`',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
} as const;

/** What an X-Correlation-Id may be: the very rule the request-context middleware enforces. */
export const CORRELATION_ID_SCHEMA = { type: 'string', minLength: 1, maxLength: 128, pattern: CORRELATION_ID.source } as const;

type Json = Record<string, any>;

/** The operations endpoints' tag; each context describes its own (`apiTags` of its definition). */
const OPERATIONS_TAG = { operations: 'Health, read models and their rebuilds' };

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/** The statuses every operation of a given kind can answer, whatever its decorators say. */
const STATUS_DESCRIPTIONS: Record<string, string> = {
  '400': 'VALIDATION_FAILED: the input (body, path, query or a header) is not acceptable; `details.fields` names each field at fault, or `details.reason` says why',
  '401': 'UNAUTHENTICATED: no valid access token',
  '403': 'FORBIDDEN: the caller’s role may not do this',
  '404': 'NOT_FOUND: no such resource',
  '409': 'CONCURRENCY_CONFLICT: the data changed while the command ran; try again',
  '413': 'PAYLOAD_TOO_LARGE: the body is too large',
  '415': 'UNSUPPORTED_MEDIA_TYPE: the body must be sent as `Content-Type: application/json` (UTF-8)',
  '422': 'A business rule refused the command',
  '429': 'Too many requests; try again after `Retry-After` seconds',
  '431': 'HEADERS_TOO_LARGE: the request’s headers, or its URL, are larger than the server reads',
  '500': 'INTERNAL_ERROR: a fault on the server’s side (a bug); never caused by input',
  '503': 'SERVICE_UNAVAILABLE: a database or the event store cannot be reached right now; try again after `Retry-After` seconds',
};

/** The code an error response of this status carries, besides those its description names. */
function defaultCodes(status: string, operation: Json, method: string): string[] {
  switch (status) {
    case '400':
      return ['VALIDATION_FAILED'];
    case '401':
      return isSecured(operation) ? ['UNAUTHENTICATED'] : [];
    case '404':
      return ['NOT_FOUND'];
    case '431':
      return ['HEADERS_TOO_LARGE'];
    case '409':
      return WRITE_METHODS.has(method) ? ['CONCURRENCY_CONFLICT'] : [];
    case '413':
      return ['PAYLOAD_TOO_LARGE'];
    case '415':
      return ['UNSUPPORTED_MEDIA_TYPE'];
    case '500':
      return ['INTERNAL_ERROR'];
    case '503':
      return ['SERVICE_UNAVAILABLE'];
    default:
      return [];
  }
}

/** Codes used when a declared error response names none. */
const FALLBACK_CODES: Record<string, string> = {
  '401': 'UNAUTHENTICATED',
  '403': 'FORBIDDEN',
  '409': 'CONFLICT',
  '422': 'UNPROCESSABLE',
  '429': 'TOO_MANY_REQUESTS',
};

/** The statuses added to an operation because of what it is. */
function impliedStatuses(operation: Json, method: string): string[] {
  // 431 comes from the HTTP server itself, before any route: any request can be too large.
  const statuses = ['400', '431', '500', '503'];
  if (isSecured(operation)) statuses.push('401');
  if ((operation.parameters ?? []).some((p: Json) => p.in === 'path')) statuses.push('404');
  if (WRITE_METHODS.has(method)) statuses.push('409', '413', '415');
  return statuses;
}

/** Every operation's id: `<controller without "Controller"><Method>`, e.g. `tasksCreate`, `authLogIn`. */
export function operationId(controllerKey: string, methodKey: string): string {
  const controller = controllerKey.replace(/Controller$/, '');
  return `${controller.charAt(0).toLowerCase()}${controller.slice(1)}${methodKey.charAt(0).toUpperCase()}${methodKey.slice(1)}`;
}

/** The API document of `app`, complete: what `/docs-json` serves. */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  const contexts = contextsOf(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('UberPopug platform')
      .setDescription(
        'Event-sourced commands and read-model queries. Every command answers with the `position` of its last event; every query accepts `?after=<position>`. ' +
          'Every error is `{ "error": { "code", "message", "details" } }`; each operation lists the statuses and codes it can answer.',
      )
      .setVersion('1')
      .setLicense('MIT', 'https://opensource.org/license/mit')
      .addServer('/', 'This server')
      .addBearerAuth()
      .build(),
    { operationIdFactory: operationId },
  );
  return completeApiDocument(document, Object.assign({}, OPERATIONS_TAG, ...contexts.map((context) => context.apiTags)));
}

/** The contexts the app runs; none in an app built without the platform (a test's). */
function contextsOf(app: INestApplication): readonly ContextDefinition[] {
  try {
    return app.get<readonly ContextDefinition[]>(CONTEXTS, { strict: false });
  } catch {
    return [];
  }
}

/**
 * Applies the rules above to a document generated by @nestjs/swagger (exported for tests), with
 * a description for each tag named in `tagDescriptions` (a tag without one is only a lint warning).
 */
export function completeApiDocument(generated: OpenAPIObject, tagDescriptions: Readonly<Record<string, string>> = {}): OpenAPIObject {
  const document = structuredClone(generated) as Json;
  document.openapi = '3.1.0';
  document.components ??= {};
  const components = document.components;
  components.schemas ??= {};
  Object.assign(components.schemas, sharedSchemas());
  components.headers = { ...(components.headers ?? {}), ...sharedHeaders() };
  components.parameters = { ...(components.parameters ?? {}), ...sharedParameters() };

  const tags = new Set<string>();
  for (const path of Object.values<Json>(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = path[method];
      if (!operation) continue;
      for (const tag of operation.tags ?? []) tags.add(tag);
      completeOperation(operation, method);
    }
  }
  const declaredTags = new Set((document.tags ?? []).map((t: Json) => t.name));
  const newTags = [...tags].filter((t) => !declaredTags.has(t)).sort();
  document.tags = [...(document.tags ?? []), ...newTags.map((name) => (tagDescriptions[name] ? { name, description: tagDescriptions[name] } : { name }))];
  closeRequestSchemas(document);
  toOpenApi31(document);
  return document as OpenAPIObject;
}

/**
 * Unknown fields of a body are refused (the validation pipe's whitelist): every object schema a
 * request body uses says `additionalProperties: false`. Responses stay open: fields may be added.
 */
function closeRequestSchemas(document: Json): void {
  const schemas = document.components?.schemas ?? {};
  const done = new Set<Json>();
  const close = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(close);
    if (typeof node !== 'object' || node === null || done.has(node as Json)) return;
    const schema = node as Json;
    done.add(schema);
    if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/components/schemas/')) close(schemas[schema.$ref.slice('#/components/schemas/'.length)]);
    if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
    for (const key of ['properties', 'items', 'allOf', 'oneOf', 'anyOf']) {
      const value = schema[key];
      if (key === 'properties' && value) Object.values(value).forEach(close);
      else close(value);
    }
  };
  for (const path of Object.values<Json>(document.paths ?? {})) {
    for (const method of METHODS) {
      for (const media of Object.values<Json>(path[method]?.requestBody?.content ?? {})) close(media.schema);
    }
  }
}

function completeOperation(operation: Json, method: string): void {
  // An operation without a guard is public: say so, rather than leave it undefined.
  operation.security ??= [];
  const parameters: Json[] = (operation.parameters ?? []).map(completeParameter);
  for (const name of ['XTraceKey', 'XCorrelationId']) {
    const ref = `#/components/parameters/${name}`;
    if (!parameters.some((p) => p.$ref === ref)) parameters.push({ $ref: ref });
  }
  operation.parameters = parameters;
  operation.responses ??= {};
  for (const status of impliedStatuses(operation, method)) {
    operation.responses[status] ??= { description: STATUS_DESCRIPTIONS[status] };
  }
  for (const [status, response] of Object.entries<Json>(operation.responses)) {
    if (response.$ref) continue;
    const isError = /^[45]\d\d$/.test(status);
    if (isError && !response.content) {
      const codes = [...new Set([...defaultCodes(status, operation, method), ...codesIn(response.description)])];
      if (codes.length === 0 && FALLBACK_CODES[status]) codes.push(FALLBACK_CODES[status]);
      if (!response.description) response.description = STATUS_DESCRIPTIONS[status] ?? 'Error';
      response.content = { 'application/json': { schema: errorSchema(codes) } };
      if (status === '429' || status === '503') response.headers = { ...response.headers, 'Retry-After': { $ref: '#/components/headers/RetryAfter' } };
    }
    response.headers = {
      ...response.headers,
      'X-Trace-Key': { $ref: '#/components/headers/XTraceKey' },
      'X-Correlation-Id': { $ref: '#/components/headers/XCorrelationId' },
    };
  }
}

/**
 * The parameter `after` (read-your-writes, declared by `@ReadsFrom`) is a position; any other
 * parameter declared without a schema is a string.
 */
function completeParameter(parameter: Json): Json {
  if (parameter.$ref) return parameter;
  const schema = parameter.schema;
  if (schema && Object.keys(schema).length > 0) return parameter;
  if (parameter.in === 'query' && parameter.name === 'after') {
    return { ...parameter, schema: { type: 'string', minLength: 33, maxLength: 33, pattern: POSITION_PATTERN, example: '00000000000004d2-0000000000000000' } };
  }
  return { ...parameter, schema: { type: 'string' } };
}

/**
 * The codes a description names: `EMAIL_TAKEN: …` → [EMAIL_TAKEN]; `NOT_ASSIGNEE or
 * TASK_ALREADY_COMPLETED: …` → both; `LAST_ADMIN: …; CONCURRENCY_CONFLICT: …` → both.
 */
export function codesIn(description: unknown): string[] {
  if (typeof description !== 'string') return [];
  const codes: string[] = [];
  for (const segment of description.split(';')) {
    const colon = segment.indexOf(':');
    const head = colon === -1 ? segment : segment.slice(0, colon);
    const tokens = head.split(/\s*(?:,|\/|\||\bor\b)\s*/).map((t) => t.trim().replace(/^`|`$/g, ''));
    if (tokens.length > 0 && tokens.every((t) => /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(t) && t.length > 2)) codes.push(...tokens);
  }
  return [...new Set(codes)];
}

function errorSchema(codes: string[]): Json {
  return {
    allOf: [
      { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` },
      {
        type: 'object',
        properties: { error: { type: 'object', properties: { code: { type: 'string', enum: codes } } } },
      },
    ],
  };
}

function sharedSchemas(): Json {
  return {
    [ERROR_SCHEMA_NAME]: {
      type: 'object',
      description: 'Every error the API answers',
      required: ['error'],
      additionalProperties: false,
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message', 'details'],
          additionalProperties: false,
          properties: {
            code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', description: 'Stable, SCREAMING_SNAKE_CASE; the operation’s response lists the ones it can carry' },
            message: { type: 'string', description: 'For humans; may change' },
            details: { $ref: '#/components/schemas/ErrorDetails' },
          },
        },
      },
    },
    ErrorDetails: {
      type: 'object',
      description: 'More about the error; what it holds depends on the code',
      additionalProperties: true,
      properties: {
        fields: {
          type: 'object',
          description: 'VALIDATION_FAILED: each field at fault (`beak.length`, `X-Trace-Key`) with what is wrong with it',
          additionalProperties: { type: 'array', items: { type: 'string' } },
        },
        reason: { type: 'string', description: 'VALIDATION_FAILED without a field to blame: why the input was refused' },
      },
    },
  };
}

function sharedHeaders(): Json {
  return {
    XTraceKey: { description: 'The request’s trace key (`X-Trace-Key`, or a generated one)', schema: { type: 'string', format: 'uuid' } },
    XCorrelationId: { description: 'The request’s correlation id (`X-Correlation-Id`, or a generated one)', schema: { ...CORRELATION_ID_SCHEMA } },
    RetryAfter: { description: 'Seconds to wait before trying again', required: true, schema: { type: 'integer', minimum: 0 } },
  };
}

function sharedParameters(): Json {
  return {
    XTraceKey: {
      name: 'X-Trace-Key',
      in: 'header',
      required: false,
      description: 'A UUID stored in the metadata of every event the request writes and echoed back; generated when absent. Anything but a UUID is 400',
      schema: { type: 'string', format: 'uuid' },
    },
    XCorrelationId: {
      name: 'X-Correlation-Id',
      in: 'header',
      required: false,
      description: 'Stored in the metadata of every event the request writes and echoed back; generated when absent. 1 to 128 letters, digits or `. _ : / + = -`; anything else is 400',
      schema: { ...CORRELATION_ID_SCHEMA },
    },
  };
}

function isSecured(operation: Json): boolean {
  return Array.isArray(operation.security) && operation.security.length > 0;
}

/**
 * OpenAPI 3.1 schemas are JSON Schema: `nullable` is gone. A nullable type becomes a type list
 * (`enum` gets `null`), a nullable reference `oneOf: [ref, { type: 'null' }]`.
 */
function toOpenApi31(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(toOpenApi31);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Json;
  for (const value of Object.values(schema)) toOpenApi31(value);
  if (schema.nullable === true) {
    delete schema.nullable;
    const target = schema.$ref ? { $ref: schema.$ref } : schema.allOf?.length === 1 ? schema.allOf[0] : undefined;
    if (target) {
      delete schema.$ref;
      delete schema.allOf;
      delete schema.type;
      schema.oneOf = [target, { type: 'null' }];
    } else if (typeof schema.type === 'string') {
      schema.type = [schema.type, 'null'];
      if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
    }
  } else if (schema.nullable === false) {
    delete schema.nullable;
  }
  // 3.0's boolean exclusive bounds are numbers in 3.1.
  if (typeof schema.exclusiveMinimum === 'boolean') {
    if (schema.exclusiveMinimum && typeof schema.minimum === 'number') {
      schema.exclusiveMinimum = schema.minimum;
      delete schema.minimum;
    } else delete schema.exclusiveMinimum;
  }
  if (typeof schema.exclusiveMaximum === 'boolean') {
    if (schema.exclusiveMaximum && typeof schema.maximum === 'number') {
      schema.exclusiveMaximum = schema.maximum;
      delete schema.maximum;
    } else delete schema.exclusiveMaximum;
  }
}
