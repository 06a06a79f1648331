import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { encodePosition, isPosition } from '@app/eventstore';
import { completeApiDocument, createApiDocument, POSITION_PATTERN } from '@app/core/http/openapi';
import { ConsistentQuery, defineProjection, ReadsFrom } from '@app/core';
import { startPlatform } from './fixtures/identity.fixture';
import { pointer } from './support/response-conformance';
import type { TestApp } from './support/test-app';

type Json = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

interface Operation {
  name: string;
  method: string;
  path: string;
  operation: Json;
}

function operationsOf(document: Json): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(document.paths)) {
    for (const method of METHODS) {
      if (item[method]) operations.push({ name: `${method.toUpperCase()} ${path}`, method, path, operation: item[method] });
    }
  }
  return operations;
}

function resolve(document: Json, node: Json): Json {
  let current = node;
  for (let hops = 0; current?.$ref && hops < 10; hops += 1) current = pointer(document, current.$ref)!;
  return current;
}

/** Every schema reachable from `schema`, references followed (once each). */
function* schemasUnder(document: Json, schema: Json, seen = new Set<Json>()): Generator<{ schema: Json; path: string }> {
  const stack: Array<{ schema: Json; path: string }> = [{ schema, path: '' }];
  while (stack.length > 0) {
    const { schema: node, path } = stack.pop()!;
    const current = resolve(document, node);
    if (!current || seen.has(current)) continue;
    seen.add(current);
    yield { schema: current, path };
    for (const [name, property] of Object.entries<Json>(current.properties ?? {})) stack.push({ schema: property, path: `${path}.${name}` });
    if (current.items) stack.push({ schema: current.items, path: `${path}[]` });
    for (const key of ['allOf', 'oneOf', 'anyOf']) for (const inner of current[key] ?? []) stack.push({ schema: inner, path });
  }
}

/** What a client sends to an operation: its parameters and its body's fields, each with its schema. */
function inputsOf(document: Json, { operation }: Operation): Array<{ where: string; schema: Json }> {
  const inputs: Array<{ where: string; schema: Json }> = [];
  for (const raw of operation.parameters ?? []) {
    const parameter = resolve(document, raw);
    inputs.push({ where: `${parameter.in} ${parameter.name}`, schema: parameter.schema ?? {} });
  }
  for (const [mediaType, media] of Object.entries<Json>(operation.requestBody?.content ?? {})) {
    for (const { schema, path } of schemasUnder(document, media.schema)) inputs.push({ where: `body (${mediaType})${path}`, schema });
  }
  return inputs;
}

function types(schema: Json): string[] {
  return Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
}

describe('the API document (/docs-json) is the truth', () => {
  let platform: TestApp;
  let document: Json;
  let operations: Operation[];

  beforeAll(async () => {
    platform = await startPlatform();
    document = (await platform.http.get('/docs-json').expect(200)).body;
    operations = operationsOf(document);
  });
  afterAll(() => platform?.close());

  it('is OpenAPI 3.1 and lists the operations of every context', () => {
    expect(document.openapi).toBe('3.1.0');
    const tags = new Set(operations.flatMap((o) => o.operation.tags ?? []));
    for (const tag of ['operations', 'identity', 'tasks', 'accounting', 'analytics']) expect(tags).toContain(tag);
  });

  it('redocly lint, with the recommended rules, reports no error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document, null, 2));
      writeFileSync(join(dir, 'redocly.yaml'), 'extends:\n  - recommended\n');
      const redocly = join(__dirname, '..', 'node_modules', '.bin', 'redocly');
      const run = await promisify(execFile)(redocly, ['lint', 'openapi.json', '--config', 'redocly.yaml', '--format', 'json'], {
        cwd: dir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
        maxBuffer: 64 * 1024 * 1024,
      }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }));
      const report = JSON.parse(run.stdout) as { totals: { errors: number }; problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }> };
      const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
      expect(errors).toEqual([]);
      expect(report.totals.errors).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('every operation has a summary and a unique operationId', () => {
    const missing = operations.filter((o) => typeof o.operation.summary !== 'string' || o.operation.summary.trim() === '').map((o) => o.name);
    expect(missing).toEqual([]);
    const ids = operations.map((o) => o.operation.operationId);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z0-9]*$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every operation declares the errors it can answer, each as { error: { code, message, details } } with its codes', () => {
    const problems: string[] = [];
    for (const o of operations) {
      const responses = o.operation.responses as Json;
      const expected = ['400', '500', '503'];
      if ((o.operation.security ?? []).length > 0) expected.push('401');
      if ((o.operation.parameters ?? []).some((p: Json) => resolve(document, p).in === 'path')) expected.push('404');
      if (WRITE_METHODS.has(o.method)) expected.push('409', '413', '415');
      for (const status of expected) if (!responses[status]) problems.push(`${o.name}: no ${status}`);
      for (const [status, raw] of Object.entries<Json>(responses)) {
        if (!/^[45]/.test(status)) continue;
        const response = resolve(document, raw);
        const schema = response.content?.['application/json']?.schema;
        if (!schema) {
          problems.push(`${o.name} ${status}: no application/json body`);
          continue;
        }
        // /health answers its report (ok, degraded, down) with 503, not an error.
        if (o.path === '/health' && status === '503') continue;
        const usesError = (schema.allOf ?? [schema]).some((s: Json) => s.$ref === '#/components/schemas/Error');
        const codes = schema.allOf?.[1]?.properties?.error?.properties?.code?.enum;
        if (!usesError) problems.push(`${o.name} ${status}: not the shared Error schema`);
        if (!Array.isArray(codes) || codes.length === 0 || !codes.every((c: unknown) => typeof c === 'string' && /^[A-Z][A-Z0-9_]*$/.test(c))) {
          problems.push(`${o.name} ${status}: no error codes declared`);
        }
      }
      if (!Object.keys(responses).some((s) => /^2/.test(s))) problems.push(`${o.name}: no success response`);
    }
    expect(problems).toEqual([]);
    const error = document.components.schemas.Error;
    expect(error).toMatchObject({ required: ['error'], properties: { error: { required: ['code', 'message', 'details'] } } });
  });

  it('every success response declares its body, or answers none', () => {
    const problems: string[] = [];
    for (const o of operations) {
      for (const [status, raw] of Object.entries<Json>(o.operation.responses)) {
        if (!/^2/.test(status) || status === '204') continue;
        // JSON, or another media type where the contract says so (text/event-stream for GET /ledger/stream).
        const content: Json = resolve(document, raw).content ?? {};
        const schema = content['application/json']?.schema ?? (Object.keys(content).length === 1 ? Object.values<Json>(content)[0].schema : undefined);
        if (!schema || Object.keys(schema).length === 0) problems.push(`${o.name} ${status}: no body declared`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('headers: every operation takes X-Trace-Key and X-Correlation-Id, every response echoes them, every 429 and 503 error says Retry-After', () => {
    const problems: string[] = [];
    for (const o of operations) {
      const headers = (o.operation.parameters ?? []).map((p: Json) => resolve(document, p)).filter((p: Json) => p.in === 'header');
      const traceKey = headers.find((h: Json) => h.name === 'X-Trace-Key');
      if (!traceKey || traceKey.schema?.format !== 'uuid') problems.push(`${o.name}: X-Trace-Key (uuid) not declared`);
      const correlationId = headers.find((h: Json) => h.name === 'X-Correlation-Id');
      if (!correlationId || typeof correlationId.schema?.maxLength !== 'number') problems.push(`${o.name}: X-Correlation-Id (bounded) not declared`);
      for (const [status, raw] of Object.entries<Json>(o.operation.responses)) {
        const response = resolve(document, raw);
        for (const name of ['X-Trace-Key', 'X-Correlation-Id']) if (!response.headers?.[name]) problems.push(`${o.name} ${status}: no ${name} header`);
        const isError = response.content?.['application/json']?.schema?.allOf !== undefined;
        if ((status === '429' || status === '503') && isError && !resolve(document, response.headers?.['Retry-After'] ?? {})?.required) {
          problems.push(`${o.name} ${status}: no Retry-After header`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every reference resolves, no schema says nullable (3.1 writes null as a type), and every schema compiles', () => {
    const dangling: string[] = [];
    const nullable: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${at}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && pointer(document, value) === undefined) dangling.push(`${at}: ${value}`);
        if (key === 'nullable') nullable.push(at);
        walk(value, `${at}/${key}`);
      }
    };
    walk(document, '#');
    expect(dangling).toEqual([]);
    expect(nullable).toEqual([]);

    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(document, 'openapi');
    const failures: string[] = [];
    for (const name of Object.keys(document.components.schemas)) {
      try {
        ajv.compile({ $ref: `openapi#/components/schemas/${name}` });
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('a nullable object (task: null) is accepted by a validator as null and as the object, and nothing else', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema(document, 'openapi');
    const validate = ajv.compile({ $ref: 'openapi#/components/schemas/MostExpensiveTaskResponse' });
    const base = { period: 'day', from: '2024-05-01', to: '2024-05-01' };
    const task = { taskId: '6f1c1c0e-6a6b-4b8e-9d7e-2f3b9a1c0d11', title: 'x', reward: 30, completedAt: '2024-05-01T10:00:00.000Z' };
    expect(validate({ ...base, task: null })).toBe(true);
    expect(validate({ ...base, task })).toBe(true);
    expect(validate({ ...base, task: 'none' })).toBe(false);
    expect(validate({ ...base, task: { ...task, reward: 'thirty' } })).toBe(false);
  });

  it('every parameter has a typed schema; `after` is a position, as the server reads it', () => {
    const untyped: string[] = [];
    for (const o of operations) {
      for (const raw of o.operation.parameters ?? []) {
        const parameter = resolve(document, raw);
        if (types(parameter.schema ?? {}).length === 0 && !parameter.schema?.enum) untyped.push(`${o.name}: ${parameter.in} ${parameter.name}`);
        if (parameter.name === 'after') expect(parameter.schema).toMatchObject({ type: 'string', pattern: POSITION_PATTERN });
      }
    }
    expect(untyped).toEqual([]);
    const declared = new RegExp(POSITION_PATTERN);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), (major, minor) => declared.test(encodePosition(major, minor))),
    );
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (text) => declared.test(text) === isPosition(text)));
  });

  it('X-Trace-Key and X-Correlation-Id are declared as the server checks them', async () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const declared = (name: string) => ajv.compile(document.components.parameters[name].schema);
    const cases = [
      ...fc.sample(fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 0, maxLength: 140 }), { numRuns: 40, seed: 11 }),
      ...fc.sample(fc.stringMatching(/^[A-Za-z0-9._:/+=-]{1,130}$/), { numRuns: 20, seed: 12 }),
      'x'.repeat(128),
      'x'.repeat(129),
    ];
    const disagreements: string[] = [];
    for (const [header, schema, values] of [
      ['X-Correlation-Id', 'XCorrelationId', cases],
      ['X-Trace-Key', 'XTraceKey', [randomUUID(), randomUUID().toUpperCase(), 'not-a-uuid', `${randomUUID()}0`]],
    ] as const) {
      const validate = declared(schema);
      for (const value of values) {
        const response = await platform.http.get('/health').set(header, value);
        const refused = response.status === 400 && response.body.error?.details?.fields?.[header] !== undefined;
        if (refused === validate(value)) disagreements.push(`${header}: ${JSON.stringify(value)} is ${refused ? 'refused' : 'accepted'} by the server, not by the document`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('every query parameter named limit is an integer with its bounds', () => {
    const limits = operations.flatMap((o) =>
      (o.operation.parameters ?? []).map((p: Json) => resolve(document, p)).filter((p: Json) => p.in === 'query' && p.name === 'limit').map((p: Json) => ({ o, p })),
    );
    for (const { o, p } of limits) {
      expect({ operation: o.name, schema: p.schema }).toEqual({
        operation: o.name,
        schema: expect.objectContaining({ type: 'integer', minimum: expect.any(Number), maximum: expect.any(Number) }),
      });
    }
  });

  it('every string a client sends is bounded (maxLength, an enum, or a uuid/date format) and every number declares its lower bound', () => {
    const unbounded: string[] = [];
    for (const o of operations) {
      for (const { where, schema } of inputsOf(document, o)) {
        const kinds = types(schema);
        if (kinds.includes('string')) {
          const bounded =
            typeof schema.maxLength === 'number' ||
            Array.isArray(schema.enum) ||
            ['uuid', 'date', 'date-time'].includes(schema.format) ||
            // An anchored pattern without an open-ended repetition (`^[0-9a-f]{16}-[0-9a-f]{16}$`).
            (typeof schema.pattern === 'string' && /^\^.*\$$/.test(schema.pattern) && !/[*+]|\{\d+,\}/.test(schema.pattern));
          if (!bounded) unbounded.push(`${o.name}: ${where} (string without maxLength)`);
        }
        if ((kinds.includes('number') || kinds.includes('integer')) && schema.minimum === undefined && schema.exclusiveMinimum === undefined) {
          unbounded.push(`${o.name}: ${where} (${kinds.join('|')} without minimum)`);
        }
      }
    }
    expect(unbounded).toEqual([]);
  });

  it('request bodies refuse unknown fields, as the server does (additionalProperties: false)', () => {
    const open: string[] = [];
    for (const o of operations) {
      for (const media of Object.values<Json>(o.operation.requestBody?.content ?? {})) {
        for (const { schema, path } of schemasUnder(document, media.schema)) {
          if (schema.properties && schema.additionalProperties !== false) open.push(`${o.name}: body${path}`);
        }
      }
    }
    expect(open).toEqual([]);
  });
});

/** The read model a future context's list would read. */
const futureThings = defineProjection({
  name: 'future_things',
  version: 1,
  tables: { future_things: (t) => t.uuid('thing_id').primary() },
  eventTypes: ['FutureThingAdded'],
  apply: async () => undefined,
});

class FutureRequest {
  @ApiProperty({ maxLength: 10 })
  name!: string;
}

class FutureResponse {
  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty({ type: FutureRequest, nullable: true })
  echo!: FutureRequest | null;
}

/** An endpoint written after this document: it declares only what is its own. */
@Controller('future-things')
class FutureController {
  @Post(':thingId')
  @ApiOperation({ summary: 'Do a future thing' })
  @ApiBearerAuth()
  @ApiForbiddenResponse({ description: 'FUTURE_FORBIDDEN or FORBIDDEN: not yours' })
  @ApiOkResponse({ type: FutureResponse })
  act(@Param('thingId') _id: string, @Body() _body: FutureRequest): FutureResponse {
    return { note: null, echo: null };
  }

  @Get()
  @ApiOperation({ summary: 'List future things' })
  @ReadsFrom(futureThings)
  @ApiOkResponse({ type: FutureResponse, isArray: true })
  list(@Query() _query: ConsistentQuery): FutureResponse[] {
    return [];
  }
}

describe('the document rules cover endpoints written later', () => {
  let document: Json;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [FutureController] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    document = createApiDocument(app) as Json;
    await app.close();
  });

  it('adds the errors, codes, headers and ids the decorators did not', () => {
    const act = document.paths['/future-things/{thingId}'].post;
    expect(act.operationId).toBe('futureAct');
    expect(Object.keys(act.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '431', '500', '503']);
    const codes = (status: string) => act.responses[status].content['application/json'].schema.allOf[1].properties.error.properties.code.enum;
    expect(codes('401')).toEqual(['UNAUTHENTICATED']);
    expect(codes('403')).toEqual(['FUTURE_FORBIDDEN', 'FORBIDDEN']);
    expect(codes('404')).toEqual(['NOT_FOUND']);
    expect(codes('409')).toEqual(['CONCURRENCY_CONFLICT']);
    expect(codes('415')).toEqual(['UNSUPPORTED_MEDIA_TYPE']);
    // The HTTP server refuses headers or a URL too large before any route: every operation can answer it.
    expect(codes('431')).toEqual(['HEADERS_TOO_LARGE']);
    expect(act.responses['503'].headers['Retry-After']).toEqual({ $ref: '#/components/headers/RetryAfter' });
    expect(act.responses['200'].headers['X-Trace-Key']).toEqual({ $ref: '#/components/headers/XTraceKey' });
    expect(act.parameters).toEqual(expect.arrayContaining([{ $ref: '#/components/parameters/XTraceKey' }, { $ref: '#/components/parameters/XCorrelationId' }]));
    const list = document.paths['/future-things'].get;
    expect(list.security).toEqual([]);
    expect(Object.keys(list.responses).sort()).toEqual(['200', '400', '431', '500', '503']);
    expect(list.responses['503'].content['application/json'].schema.allOf[1].properties.error.properties.code.enum).toEqual([
      'SERVICE_UNAVAILABLE',
      'READ_MODEL_LAGGING',
    ]);
    expect(list.parameters.find((p: Json) => p.name === 'after').schema).toMatchObject({ type: 'string', pattern: POSITION_PATTERN });
  });

  it('writes nullable as OpenAPI 3.1 does, and closes request bodies', () => {
    const response = document.components.schemas.FutureResponse;
    expect(response.properties.note).toEqual({ type: ['string', 'null'] });
    expect(response.properties.echo).toEqual({ oneOf: [{ $ref: '#/components/schemas/FutureRequest' }, { type: 'null' }] });
    expect(document.components.schemas.FutureRequest.additionalProperties).toBe(false);
    expect(response.additionalProperties).toBeUndefined();
  });

  it('is idempotent: completing a completed document changes nothing', () => {
    expect(completeApiDocument(structuredClone(document) as never)).toEqual(document);
  });
});
