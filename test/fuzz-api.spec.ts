import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { ProcessManagerStore } from '@app/core';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import { pointer } from './support/response-conformance';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

/**
 * Property-based fuzzing of every operation of /docs-json, as a hostile client would: the
 * document says what each operation takes, and the generators send that, almost that (one field
 * wrong, missing or extra) and nothing like it (wrong types, huge and hostile strings, NUL,
 * control characters, lone surrogates, deep nesting, bad path and query parameters, other content
 * types, empty and malformed bodies), with an admin's token mostly and without one or with a
 * worker's or a forged one otherwise. Every answer must be below 500, declared for that operation,
 * and an error must be `{ error: { code, message, details } }`; afterwards no read model is halted,
 * no process manager is stuck and /health is 200. Every response also goes through the test app's
 * response-conformance check against the same document.
 *
 * Runs: FUZZ_RUNS per operation (default below, sized for two busy cores; an operation that takes
 * no input at all gets a fifth of that, since all it varies is the token, headers and a stray
 * body). FUZZ_SEED replays a run.
 */
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const BODY_LIMIT_BYTES = 1024 * 1024;
const POSITION = '^[0-9a-f]{16}-[0-9a-f]{16}$';

type Json = Record<string, any>;

interface Operation {
  method: string;
  path: string;
  operation: Json;
  name: string;
}

interface FuzzRequest {
  method: string;
  /** Path and query, already encoded (sometimes deliberately wrongly). */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What the generator meant, for the report. */
  label: string;
  auth: AuthKind;
}

interface FuzzResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

type AuthKind = 'admin' | 'none' | 'worker' | 'garbage' | 'tampered';

interface Failure {
  operation: string;
  problem: string;
  count: number;
  example: string;
}

describe('fuzzing every operation of /docs-json', () => {
  let platform: TestApp;
  let document: Json;
  let operations: Operation[];
  let base: { host: string; port: number };
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  let admin: TestUser;
  let worker: TestUser;
  /** Users the generated requests may act on (demote, deactivate, read); `worker` is never one, so its token stays a worker's. */
  let bystander: TestUser;
  let target: TestUser;
  let taskId: string;
  let projectionNames: string[];
  let positions: string[];
  const failures = new Map<string, Failure>();
  const casesPerOperation = new Map<string, number>();
  const statuses = new Map<string, Map<string, number>>();
  const millisPerOperation = new Map<string, number>();
  const sweepSizes = new Map<string, number>();

  beforeAll(async () => {
    // A far-future ?after= waits CONSISTENCY_TIMEOUT_MS for nothing: keep that short.
    platform = await startPlatform({ env: { CONSISTENCY_TIMEOUT_MS: '150' } });
    const address = platform.app.getHttpServer().address() as AddressInfo;
    base = { host: '127.0.0.1', port: address.port };
    const staff = await Staff.of(platform.http);
    admin = staff.admin;
    worker = await staff.hire('worker');
    bystander = await staff.hire('worker');
    target = await staff.hire('worker');
    const created = await platform.http
      .post('/tasks')
      .set(bearer(admin))
      .send({ title: 'fuzz target', description: 'a task for the fuzzer to find' })
      .expect(201);
    taskId = created.body.taskId;
    positions = [worker.position, bystander.position, target.position, created.body.position];
    document = (await platform.http.get('/docs-json').expect(200)).body;
    projectionNames = (await platform.http.get('/projections').set(bearer(admin)).expect(200)).body.map((p: { name: string }) => p.name);
    operations = [];
    for (const [path, item] of Object.entries<Json>(document.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        if (item[method]) operations.push({ method: method.toUpperCase(), path, operation: item[method], name: `${method.toUpperCase()} ${path}` });
      }
    }
  });

  afterAll(async () => {
    agent.destroy();
    await platform?.close();
  });

  function send(request: FuzzRequest): Promise<FuzzResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...request.headers };
      if (request.body !== undefined) headers['Content-Length'] = request.body.length;
      const outgoing = httpRequest({ ...base, agent, method: request.method, path: request.url, headers, timeout: 15_000 }, (incoming) => {
        // A stream of server-sent events (GET /ledger/stream) never ends by itself: its status and
        // headers are the answer, and the fuzzer leaves as a client would, which the server must survive.
        if (/^text\/event-stream/.test(String(incoming.headers['content-type'] ?? ''))) {
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: '' });
          outgoing.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') }));
        incoming.on('error', reject);
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error('no answer within 15 s')));
      outgoing.on('error', reject);
      if (request.body !== undefined) outgoing.write(request.body);
      outgoing.end();
    });
  }

  function resolve(node: Json | undefined): Json {
    let current = node;
    for (let hops = 0; current?.$ref && hops < 10; hops += 1) current = pointer(document, current.$ref);
    return current ?? {};
  }

  /** The paths to every field of an object schema, nested objects' fields included (`beak.length`). */
  function leaves(schema: Json, prefix: string[] = [], depth = 0): string[][] {
    const paths: string[][] = [];
    for (const [name, raw] of Object.entries<Json>(schema.properties ?? {})) {
      const property = resolve(raw);
      const path = [...prefix, name];
      paths.push(path);
      if (property.properties && depth < 3) paths.push(...leaves(property, path, depth + 1));
    }
    return paths;
  }

  function leafSchema(schema: Json, path: string[]): Json {
    let node = schema;
    for (const key of path) node = resolve(node.properties?.[key] ?? {});
    return node;
  }

  // ---------------------------------------------------------------- generators

  const hostileStrings = fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      ' \t \n ',
      '\u0000',
      'a\u0000b',
      '\u0001',
      '\u001b[31m',
      '\u007f',
      '\u0085',
      '\u009f',
      '\ud800',
      'a\udc00b',
      '\udbff',
      '\ud83d\ude00',
      '\u2028\u2029',
      '\ufeff',
      '\u202eevil',
      '[POPUG-1] title',
      '../../etc/passwd',
      '<script>alert(1)</script>',
      "' OR 1=1 --",
      '%00',
      '${jndi:ldap://x}',
      'null',
      '0',
      '-1',
      '1e400',
      '{}',
      '__proto__',
      'a'.repeat(200),
      'a'.repeat(201),
      '\ud83d\ude00'.repeat(200),
      'é'.repeat(255),
      'x'.repeat(5001),
    ),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.integer({ min: 1_000, max: 100_000 }).map((n) => 'y'.repeat(n)),
  );

  const wrongTypes: fc.Arbitrary<unknown> = fc.oneof(
    fc.integer(),
    fc.constantFrom(0, -0, -1, 2.5, 1e308, -1e308, 2 ** 53 + 1, 0.1 + 0.2, 1e-300),
    fc.boolean(),
    fc.constant(null),
    fc.constant([]),
    fc.constant({}),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
    hostileStrings,
  );

  /** A value the schema accepts, as far as a generator can tell (patterns and formats included). */
  function valid(schemaOrRef: Json | undefined, depth = 0): fc.Arbitrary<unknown> {
    const schema = resolve(schemaOrRef);
    if (depth > 6) return fc.constant(null);
    if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
    if (schema.oneOf || schema.anyOf) return fc.oneof(...(schema.oneOf ?? schema.anyOf).map((s: Json) => valid(s, depth + 1)));
    if (schema.allOf) return valid(Object.assign({}, ...schema.allOf.map((s: Json) => resolve(s))), depth + 1);
    const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type ?? (schema.properties ? 'object' : 'string');
    switch (type) {
      case 'object': {
        const properties = Object.entries<Json>(schema.properties ?? {});
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [name, property] of properties) record[name] = valid(property, depth + 1);
        return fc.record(record, { requiredKeys: (schema.required ?? []).filter((name: string) => name in record) });
      }
      case 'array':
        return fc.array(valid(schema.items, depth + 1), { maxLength: 3 });
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000 });
      case 'number': {
        const min = schema.minimum ?? (typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 0.1 : 0.1);
        return fc.double({ min, max: schema.maximum ?? Math.max(min + 100, 100), noNaN: true, noDefaultInfinity: true });
      }
      case 'boolean':
        return fc.boolean();
      default:
        return validString(schema);
    }
  }

  function validString(schema: Json): fc.Arbitrary<string> {
    const maxLength = Math.min(schema.maxLength ?? 40, 60);
    const minLength = Math.min(schema.minLength ?? 0, maxLength);
    switch (schema.format) {
      case 'uuid':
        return fc.oneof(fc.uuid(), fc.constantFrom(bystander.userId, target.userId, taskId));
      case 'date':
        return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      case 'date-time':
        return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      case 'email':
        return fc.oneof(
          { weight: 4, arbitrary: fc.uuid().map((id) => `${id.slice(0, 13)}@popug.io`) },
          { weight: 1, arbitrary: fc.stringMatching(/^[a-z][a-z0-9.]{0,20}@[a-z]{1,10}\.io$/) },
        );
    }
    if (schema.pattern === POSITION) {
      // Positions the log has (or has not yet) reached; one past the end waits CONSISTENCY_TIMEOUT_MS, so rarely.
      return fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...positions) }, { weight: 1, arbitrary: fc.stringMatching(new RegExp(POSITION)) });
    }
    if (schema.pattern) {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? 200));
    }
    return fc.string({ unit: 'grapheme-ascii', minLength: Math.max(minLength, 1), maxLength });
  }

  /** A value the schema does not accept, or only just does: wrong types, bounds, hostile text. */
  function edge(schemaOrRef: Json | undefined): fc.Arbitrary<unknown> {
    const schema = resolve(schemaOrRef);
    const bounds: unknown[] = [];
    if (typeof schema.maxLength === 'number') bounds.push('m'.repeat(schema.maxLength), 'm'.repeat(schema.maxLength + 1), `  ${'m'.repeat(schema.maxLength)}  `);
    if (typeof schema.minimum === 'number') bounds.push(schema.minimum, schema.minimum - 1, schema.minimum - 0.5);
    if (typeof schema.maximum === 'number') bounds.push(schema.maximum, schema.maximum + 1, schema.maximum + 0.5);
    if (schema.format === 'date') bounds.push('0000-01-01', '9999-12-31', '1969-12-31', '1999-12-31', '2000-01-01', '2100-12-31', '2101-01-01', '2024-02-30', '2024-13-01', '20240101', '2024-1-1');
    if (schema.format === 'uuid') bounds.push('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', randomUUID().toUpperCase(), `${randomUUID()}x`);
    return bounds.length > 0 ? fc.oneof(fc.constantFrom(...bounds), wrongTypes) : wrongTypes;
  }

  /** A query or path value as text: valid, at an edge, or hostile. */
  /** URLs stay under Node's 16 KB header limit (beyond it Node answers 431 before the app sees anything). */
  const URL_VALUE_MAX = 6_000;

  function textValue(schemaOrRef: Json | undefined): fc.Arbitrary<string> {
    const schema = resolve(schemaOrRef);
    const specific: string[] = ['', ' ', '0x10', '1e2', ' 5', '2.5', '-0', '00', '99999999999999999999', 'NaN', 'true', '[]'];
    if (schema.pattern || /after/.test(schema.description ?? '')) specific.push('ffff', 'ffffffffffffffff-ffffffffffffffff', 'f'.repeat(6_000), '0000000000000000-0000000000000000');
    return fc
      .oneof(
        { weight: 3, arbitrary: valid(schema).map((v) => String(v)) },
        { weight: 2, arbitrary: edge(schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? 'undefined')) },
        { weight: 1, arbitrary: fc.constantFrom(...specific) },
      )
      .map((v) => v.slice(0, URL_VALUE_MAX * 2));
  }

  /** Percent-encodes, except where the generator wants broken encodings through as they are. */
  const rawEncodings = fc.constantFrom('%', '%zz', '%00', '%C0%80', '%ED%A0%80', '%FF', '%E2%82', '..', '.', '%2F', '%2e%2e');
  function encode(value: string): string {
    try {
      let encoded = encodeURIComponent(value);
      for (let kept = value; encoded.length > URL_VALUE_MAX; ) {
        kept = kept.slice(0, Math.floor(kept.length / 2));
        encoded = encodeURIComponent(kept);
      }
      return encoded;
    } catch {
      return '%ED%A0%80'; // a lone surrogate, as UTF-8 would have it (invalid UTF-8)
    }
  }

  function pathValue(schemaOrRef: Json | undefined, name: string): fc.Arbitrary<string> {
    const known = name === 'name' ? projectionNames : [bystander.userId, target.userId, taskId];
    return fc.oneof(
      { weight: 3, arbitrary: textValue(schemaOrRef).map(encode) },
      { weight: name === 'name' ? 1 : 2, arbitrary: fc.constantFrom(...known).map(encode) },
      { weight: 1, arbitrary: rawEncodings },
      { weight: 1, arbitrary: fc.constant('z'.repeat(3_000)) },
    ).filter((value) => value !== '' && value !== '.' && value !== '..');
  }

  /**
   * The query: every declared parameter left out or valid, then (mostly) one of them made bad:
   * an edge or hostile value, twice over, a broken encoding, or bracket syntax.
   */
  function queryOf(operation: Json): fc.Arbitrary<Array<[string, string]>> {
    type Pairs = Array<[string, string]>;
    const declared: Json[] = (operation.parameters ?? []).map(resolve).filter((p: Json) => p.in === 'query');
    if (declared.length === 0) return fc.oneof({ weight: 4, arbitrary: fc.constant([] as Pairs) }, { weight: 1, arbitrary: fc.constant([['unknown', '1']] as Pairs) });
    const validParts = declared.map((parameter) =>
      fc.oneof(
        { weight: 1, arbitrary: fc.constant([] as Pairs) },
        { weight: 1, arbitrary: valid(parameter.schema).map((v) => [[parameter.name, encode(String(v))]] as Pairs) },
      ),
    );
    const badPart = (parameter: Json) =>
      fc.oneof(
        { weight: 4, arbitrary: textValue(parameter.schema).map((v) => [[parameter.name, encode(v)]] as Pairs) },
        { weight: 1, arbitrary: fc.tuple(textValue(parameter.schema), textValue(parameter.schema)).map(([a, b]) => [[parameter.name, encode(a)], [parameter.name, encode(b)]] as Pairs) },
        { weight: 1, arbitrary: rawEncodings.map((v) => [[parameter.name, v]] as Pairs) },
        { weight: 1, arbitrary: fc.constant([[`${parameter.name}[x]`, '1']] as Pairs) },
      );
    const parts = fc.tuple(...validParts);
    // Arbitraries are built once, not per case (chain would build one per case, and stringMatching is costly to build).
    const withOneBad = fc.oneof(
      ...declared.map((parameter, index) => fc.tuple(parts, badPart(parameter)).map(([valids, bad]) => valids.map((pairs, i) => (i === index ? bad : pairs)))),
    );
    const chosen = fc.oneof({ weight: 2, arbitrary: parts }, { weight: 3, arbitrary: withOneBad });
    const extra = fc.oneof(
      { weight: 6, arbitrary: fc.constant([] as Array<[string, string]>) },
      { weight: 1, arbitrary: fc.constantFrom<Array<[string, string]>>([['unknown', '1']], [['__proto__', 'x']], [['constructor[prototype][admin]', '1']], [['', '']]) },
    );
    return fc.tuple(extra, chosen).map(([more, pairs]) => [...more, ...pairs.flat()]);
  }

  /** A body: the schema's, one field wrong, missing or extra, or something that is not that at all. */
  function bodyOf(operation: Json, takesBody: boolean): fc.Arbitrary<{ body?: Buffer; contentType?: string; label: string }> {
    const schema = resolve(operation.requestBody?.content?.['application/json']?.schema);
    const fields = Object.keys(schema.properties ?? {});
    const json = (label: string, value: unknown) => ({ body: Buffer.from(JSON.stringify(value) ?? ''), label });
    const validBody = valid(schema);
    const variants: Array<fc.WeightedArbitrary<{ body?: Buffer; label: string }>> = [
      { weight: 3, arbitrary: validBody.map((v) => json('valid per schema', v)) },
      { weight: 2, arbitrary: fc.constantFrom('[]', '"text"', '1', 'null', 'true', '{}').map((raw) => ({ body: Buffer.from(raw), label: `top-level ${raw}` })) },
      {
        weight: 2,
        arbitrary: fc
          .constantFrom('{"a":', '{', '}', '{"a":1,}', "{'a':1}", '{"a":1} trailing', '\ufeff{}', 'NaN', '{"a":1e99999}', '{"a":"\\uZZZZ"}', '{"a":"\\ud800"}', '{"\\u0000":1}')
          .map((raw) => ({ body: Buffer.from(raw), label: `malformed or odd JSON ${JSON.stringify(raw)}` })),
      },
      {
        weight: 1,
        arbitrary: fc.integer({ min: 20, max: 5_000 }).chain((depth) =>
          fc.constantFrom(
            { body: Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`), label: `arrays nested ${depth} deep` },
            { body: Buffer.from(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`), label: `objects nested ${depth} deep` },
            { body: Buffer.from(`{"${fields[0] ?? 'a'}":${'['.repeat(depth)}${']'.repeat(depth)}}`), label: `field ${fields[0] ?? 'a'} nested ${depth} deep` },
          ),
        ),
      },
      { weight: 1, arbitrary: fc.constant({ body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x22, 0x7d]), label: 'invalid UTF-8' }) },
      { weight: 1, arbitrary: fc.constant({ body: Buffer.alloc(0), label: 'empty body' }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(BODY_LIMIT_BYTES - 100, BODY_LIMIT_BYTES + 10).map((size) => ({
          body: Buffer.from(JSON.stringify({ [fields[0] ?? 'a']: 'z'.repeat(size) })),
          label: `a ${size}-character field`,
        })),
      },
      {
        weight: 1,
        arbitrary: validBody.map((v) => ({
          body: Buffer.from(`{"__proto__":{"role":"admin","isAdmin":true},"constructor":{"prototype":{"x":1}},${JSON.stringify(v ?? {}).slice(1)}`),
          label: '__proto__ and constructor keys',
        })),
      },
    ];
    if (fields.length > 0) {
      const leafPaths = leaves(schema);
      variants.push(
        {
          weight: 4,
          arbitrary: fc.oneof(
            ...leafPaths.map((path) =>
              fc.tuple(validBody, edge(leafSchema(schema, path))).map(([v, value]) => json(`${path.join('.')} = ${preview(value)}`, setAt(v, path, value))),
            ),
          ),
        },
        { weight: 1, arbitrary: fc.tuple(validBody, fc.constantFrom(...fields)).map(([v, field]) => json(`without ${field}`, omit(v, field))) },
        {
          weight: 1,
          arbitrary: fc.tuple(validBody, fc.constantFrom('extra', 'role', 'userId', 'position', '\u0000', 'a'.repeat(300)), wrongTypes).map(([v, key, value]) =>
            json(`extra field ${preview(key)}`, { ...(v as object), [key]: value }),
          ),
        },
        { weight: 1, arbitrary: validBody.map((v) => ({ body: Buffer.from(`{"${fields[0]}":"first",${JSON.stringify(v).slice(1)}`), label: 'duplicate key' })) },
      );
    }
    const body = fc.oneof(...variants);
    const contentType = fc.oneof(
      { weight: 12, arbitrary: fc.constant('application/json') },
      {
        weight: 4,
        arbitrary: fc.constantFrom(
          'application/json; charset=utf-8',
          'APPLICATION/JSON',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/json; charset=latin1',
          'application/json; charset=utf-16',
          'application/merge-patch+json',
          '*/*',
          'garbage',
        ),
      },
      { weight: 1, arbitrary: fc.constant(undefined) },
    );
    const withBody = fc.tuple(body, contentType).map(([b, type]) => ({ ...b, contentType: type }));
    if (takesBody) return withBody;
    // An operation without a body still gets one now and then: it must not matter, or be refused.
    return fc.oneof({ weight: 4, arbitrary: fc.constant({ label: 'no body' }) }, { weight: 1, arbitrary: withBody });
  }

  function headersOf(): fc.Arbitrary<Record<string, string>> {
    const optional = <T>(arbitrary: fc.Arbitrary<T>, weight = 6) => fc.oneof({ weight, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
    return fc
      .record({
        traceKey: optional(fc.oneof(fc.uuid(), fc.uuid().map((u) => u.toUpperCase()), fc.constantFrom('not-a-uuid', '', ' ', `${randomUUID()} `, 'x'.repeat(500)))),
        correlationId: optional(fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 40 }), fc.constantFrom('x'.repeat(201), 'x'.repeat(8_000), 'tab\there', '\u00ff\u00e9', ''))),
        idempotencyKey: optional(fc.oneof(fc.uuid(), fc.constantFrom('', 'k'.repeat(201)))),
      })
      .map(({ traceKey, correlationId, idempotencyKey }) => {
        const headers: Record<string, string> = {};
        if (traceKey !== undefined) headers['X-Trace-Key'] = traceKey;
        if (correlationId !== undefined) headers['X-Correlation-Id'] = correlationId;
        if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
        return headers;
      });
  }

  const auths = fc.oneof(
    { weight: 14, arbitrary: fc.constant<AuthKind>('admin') },
    { weight: 2, arbitrary: fc.constant<AuthKind>('none') },
    { weight: 2, arbitrary: fc.constant<AuthKind>('worker') },
    { weight: 1, arbitrary: fc.constant<AuthKind>('garbage') },
    { weight: 1, arbitrary: fc.constant<AuthKind>('tampered') },
  );

  function authorization(kind: AuthKind): string | undefined {
    switch (kind) {
      case 'admin':
        return `Bearer ${admin.token}`;
      case 'worker':
        return `Bearer ${worker.token}`;
      case 'garbage':
        return 'Bearer not.a.token';
      case 'tampered':
        return `Bearer ${admin.token}=`;
      case 'none':
        return undefined;
    }
  }

  function requestsFor(o: Operation): fc.Arbitrary<FuzzRequest> {
    const pathParameters = (o.operation.parameters ?? []).map(resolve).filter((p: Json) => p.in === 'path');
    const path = fc.tuple(...pathParameters.map((p: Json) => pathValue(p.schema, p.name))).map((values) => {
      // The path's values together stay within URL_VALUE_MAX (two long ones and a long header went past Node's limit).
      const share = Math.floor(URL_VALUE_MAX / Math.max(1, values.length));
      const fitted = (values as string[]).map((v) => (v.length > share ? v.slice(0, share).replace(/%[0-9A-Fa-f]?$/, '') : v));
      let filled = o.path;
      pathParameters.forEach((p: Json, i: number) => (filled = filled.replace(`{${p.name}}`, fitted[i])));
      return filled;
    });
    const takesBody = o.operation.requestBody !== undefined;
    const mayHaveBody = takesBody || o.method !== 'GET';
    const body = mayHaveBody ? bodyOf(o.operation, takesBody) : fc.constant({ label: 'no body' } as { body?: Buffer; contentType?: string; label: string });
    return fc.record({ path, query: queryOf(o.operation), headers: headersOf(), body, auth: auths }).map(({ path: filled, query, headers, body: b, auth }) => {
      const all: Record<string, string> = { ...headers };
      const token = authorization(auth);
      if (token) all.Authorization = token;
      if (b.contentType) all['Content-Type'] = b.contentType;
      const search = query.map(([k, v]) => `${k}=${v}`).join('&');
      return { method: o.method, url: search ? `${filled}?${search}` : filled, headers: all, body: b.body, label: b.label, auth };
    });
  }

  /** The schema's examples where it has them, generated values elsewhere. */
  function exampleOf(schemaOrRef: Json | undefined, depth = 0): unknown {
    const schema = resolve(schemaOrRef);
    if (schema.example !== undefined) return schema.example;
    if (schema.properties && depth < 5) return Object.fromEntries(Object.entries<Json>(schema.properties).map(([name, property]) => [name, exampleOf(property, depth + 1)]));
    return fc.sample(valid(schema), { numRuns: 1, seed: SEED })[0];
  }

  /**
   * A body the operation accepts, for the sweep to spoil one field at a time: the schema's
   * examples, then generated ones, each sent as the admin until one is answered 2xx (the first
   * otherwise). The document alone does not say, for instance, that an email must not be taken.
   */
  async function acceptedBody(o: Operation): Promise<unknown> {
    if (!o.operation.requestBody) return undefined;
    const schema = resolve(o.operation.requestBody.content?.['application/json']?.schema);
    const candidates = [exampleOf(schema), ...fc.sample(valid(schema), { numRuns: 5, seed: SEED })];
    for (const candidate of candidates) {
      const request: FuzzRequest = {
        method: o.method,
        url: o.path.replace(/\{[^}]+\}/g, () => encode(target.userId)),
        headers: { Authorization: `Bearer ${admin.token}`, 'Content-Type': 'application/json' },
        body: Buffer.from(JSON.stringify(candidate)),
        label: 'a body to sweep from',
        auth: 'admin',
      };
      const response = await send(request);
      record(o, request, response, problemsOf(o, request, response));
      if (response.status >= 200 && response.status < 300) return candidate;
    }
    return candidates[0];
  }

  /** What every field, query and path parameter gets at least once, whatever the random draws. */
  const SWEEP_VALUES: unknown[] = ['a\u0000b', 'a\ud800b', 'a\udc00', 'a\u001bb', 'a\u007fb', 'a\u0085b', '   ', '', null, [], {}, 12, true];
  const SWEEP_TEXTS = ['a%00b', 'a%ED%A0%80b', 'a%1Bb', '%20%20%20', '', '2.5', '0x10', '-1', '0000-01-01', '9999-12-31', 'x'.repeat(5_000)];

  /**
   * The systematic part of the run, sent before the random cases (fast-check `examples`): a valid
   * request with one field, query or path parameter at a time replaced by NUL, a lone surrogate,
   * a control character, blanks, too long, or the wrong type.
   */
  function sweepFor(o: Operation, base: unknown): FuzzRequest[] {
    const parameters: Json[] = (o.operation.parameters ?? []).map(resolve);
    const pathParameters = parameters.filter((p) => p.in === 'path');
    const sample = <T>(arbitrary: fc.Arbitrary<T>): T => fc.sample(arbitrary, { numRuns: 1, seed: SEED })[0];
    const validPath = (replace?: { name: string; value: string }) => {
      let filled = o.path;
      for (const p of pathParameters) filled = filled.replace(`{${p.name}}`, replace && replace.name === p.name ? replace.value : encode(String(sample(valid(p.schema)))));
      return filled;
    };
    const request = (url: string, label: string, body?: unknown): FuzzRequest => ({
      method: o.method,
      url,
      headers: { Authorization: `Bearer ${admin.token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body !== undefined ? Buffer.from(JSON.stringify(body)) : undefined,
      label,
      auth: 'admin',
    });
    const requests: FuzzRequest[] = [];
    const schema = resolve(o.operation.requestBody?.content?.['application/json']?.schema);
    if (o.operation.requestBody) {
      for (const path of leaves(schema)) {
        const target = leafSchema(schema, path);
        const tooLong = typeof target.maxLength === 'number' ? ['m'.repeat(target.maxLength + 1)] : [];
        for (const value of [...SWEEP_VALUES, ...tooLong]) requests.push(request(validPath(), `sweep: ${path.join('.')} = ${preview(value)}`, setAt(base, path, value)));
      }
    }
    for (const p of parameters.filter((q) => q.in === 'query')) {
      for (const text of SWEEP_TEXTS) requests.push(request(`${validPath()}?${p.name}=${text}`, `sweep: ?${p.name}=${truncate(text, 30)}`, base));
    }
    for (const p of pathParameters) {
      for (const text of SWEEP_TEXTS.filter((t) => t !== '')) requests.push(request(validPath({ name: p.name, value: text }), `sweep: ${p.name} = ${truncate(text, 30)}`, base));
    }
    return requests;
  }

  // ---------------------------------------------------------------- checks

  function problemsOf(o: Operation, request: FuzzRequest, response: FuzzResponse): string[] {
    const problems: string[] = [];
    const ok = response.status >= 200 && response.status < 300;
    if (ok && (o.operation.security ?? []).length > 0 && ['none', 'garbage', 'tampered'].includes(request.auth)) {
      problems.push(`${response.status} to a request without a valid token (${request.auth})`);
    }
    // "FORBIDDEN: only admin, manager" (declared by @Authorize): a worker's token never succeeds there.
    const only = /FORBIDDEN: only ([a-z, ]+)/.exec(resolve(o.operation.responses['403']).description ?? '');
    if (ok && request.auth === 'worker' && only && !only[1].split(/,\s*/).includes('worker')) problems.push(`${response.status} to a worker, where ${only[0]}`);
    let body: any;
    try {
      body = response.body === '' ? undefined : JSON.parse(response.body);
    } catch {
      body = undefined;
    }
    const code = typeof body?.error?.code === 'string' ? body.error.code : undefined;
    // A position the read models have not reached is answered 503 READ_MODEL_LAGGING by contract
    // (API.md: read-your-writes); that is the one 5xx a client can ask for.
    const lagging = response.status === 503 && code === 'READ_MODEL_LAGGING' && response.headers['retry-after'] !== undefined;
    if (response.status >= 500 && !lagging) problems.push(`${response.status}${code ? ` ${code}` : ''}`);
    if (!o.operation.responses[String(response.status)]) problems.push(`status ${response.status}${code ? ` ${code}` : ''} is not declared`);
    if (response.status >= 400 && o.path !== '/health') {
      const shaped =
        typeof body === 'object' &&
        body !== null &&
        Object.keys(body).length === 1 &&
        typeof body.error === 'object' &&
        typeof body.error.code === 'string' &&
        typeof body.error.message === 'string' &&
        typeof body.error.details === 'object' &&
        body.error.details !== null &&
        !Array.isArray(body.error.details);
      if (!shaped) problems.push(`${response.status}: not the error body { error: { code, message, details } }`);
      // Linear patterns only: answers echo inputs thousands of characters long.
      if (/\bat [\w.<>]+ \([^()\s]+:\d+:\d+\)|node_modules|\/work\/|\bselect [\w"*, ]{1,200} from\b/i.test(response.body)) {
        problems.push(`${response.status}: the error leaks a stack, a path or SQL`);
      }
    }
    return problems;
  }

  function record(o: Operation, request: FuzzRequest, response: FuzzResponse, problems: string[]): void {
    for (const problem of problems) {
      const key = `${o.name} → ${problem}`;
      const failure = failures.get(key);
      if (failure) {
        failure.count += 1;
        continue;
      }
      failures.set(key, {
        operation: o.name,
        problem,
        count: 1,
        example:
          `${request.method} ${truncate(request.url, 200)} [auth: ${request.auth}; ${request.label}; content-type: ${request.headers['Content-Type'] ?? 'none'}` +
          `${request.headers['X-Trace-Key'] !== undefined ? `; X-Trace-Key: ${truncate(request.headers['X-Trace-Key'], 40)}` : ''}]` +
          `${request.body ? `\n      body: ${truncate(request.body.toString('utf8'), 200)}` : ''}\n      answer: ${truncate(response.body, 300)}`,
      });
    }
  }

  function runsFor(o: Operation): number {
    const hasInput = o.operation.requestBody !== undefined || (o.operation.parameters ?? []).some((p: Json) => ['path', 'query'].includes(resolve(p).in));
    return hasInput ? RUNS_PER_OPERATION : Math.max(10, Math.round(RUNS_PER_OPERATION / 5));
  }

  it(`every operation answers generated bad and edge input below 500, with a declared status and the error body (seed ${SEED})`, async () => {
    expect(operations.length).toBeGreaterThan(20);
    const started = Date.now();
    for (const o of operations) {
      let cases = 0;
      let sendMillis = 0;
      const operationStarted = Date.now();
      const sweep = sweepFor(o, await acceptedBody(o));
      sweepSizes.set(o.name, sweep.length);
      await fc.assert(
        fc.asyncProperty(requestsFor(o), async (request) => {
          cases += 1;
          const sent = Date.now();
          const response = await send(request);
          sendMillis += Date.now() - sent;
          const seen = statuses.get(o.name) ?? new Map<string, number>();
          const code = /"code":"([A-Z_]+)"/.exec(response.body)?.[1];
          const key = `${response.status}${code ? ` ${code}` : ''}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);
          if (process.env.FUZZ_VERBOSE && Date.now() - sent > 100) process.stderr.write(`fuzz: slow ${Date.now() - sent} ms ${key} ${request.method} ${request.url.slice(0, 150)} ${request.label}\n`);
          statuses.set(o.name, seen);
          record(o, request, response, problemsOf(o, request, response));
        }),
        { numRuns: runsFor(o) + sweep.length, examples: sweep.map((request) => [request]), seed: SEED, endOnFailure: true },
      );
      casesPerOperation.set(o.name, cases);
      millisPerOperation.set(o.name, Date.now() - operationStarted);
      if (process.env.FUZZ_VERBOSE) process.stderr.write(`fuzz: ${o.name} ${cases} cases in ${Date.now() - operationStarted} ms (${sendMillis} ms sending): ${[...(statuses.get(o.name) ?? [])].map(([k, n]) => `${k}×${n}`).join(', ')}\n`);
      // The run's own admin must still be one: no generated input may take its session away.
      const me = await send({ method: 'GET', url: '/auth/me', headers: { Authorization: `Bearer ${admin.token}` }, label: 'check', auth: 'admin' });
      if (me.status !== 200) throw new Error(`after fuzzing ${o.name}, the admin's token no longer works (${me.status} ${me.body})`);
    }
    const report = [...failures.values()]
      .sort((a, b) => a.operation.localeCompare(b.operation))
      .map((f) => `${f.operation}: ${f.problem} — ${f.count} time(s), e.g.\n      ${f.example}`);
    const total = [...casesPerOperation.values()].reduce((a, b) => a + b, 0);
    if (process.env.FUZZ_VERBOSE) {
      const lines = [...statuses].map(([name, seen]) => `${name} (${millisPerOperation.get(name)} ms): ${[...seen].sort().map(([k, n]) => `${k}×${n}`).join(', ')}`);
      console.log(`fuzz: ${total} cases in ${Math.round((Date.now() - started) / 1000)} s (seed ${SEED})\n${lines.join('\n')}`);
    }
    expect({ seed: SEED, cases: total, seconds: Math.round((Date.now() - started) / 1000), failures: report }).toEqual({
      seed: SEED,
      cases: total,
      seconds: expect.any(Number),
      failures: [],
    });
  }, 150_000);

  it('ran every operation of the document, the number of cases it was meant to', () => {
    const short = operations.filter((o) => (casesPerOperation.get(o.name) ?? 0) < runsFor(o) + (sweepSizes.get(o.name) ?? 0)).map((o) => `${o.name}: ${casesPerOperation.get(o.name) ?? 0}`);
    expect(short).toEqual([]);
  });

  it('afterwards no projection is halted, no process manager is stuck, and /health is 200', async () => {
    const settled = await eventually(
      async () => {
        const reports = (await platform.http.get('/projections').set(bearer(admin)).expect(200)).body as Array<{ name: string; status: string; lagEvents: number; lastError: string | null }>;
        return reports.every((p) => p.status === 'halted' || (p.status === 'running' && p.lagEvents === 0)) ? reports : null;
      },
      30_000,
      'every projection to catch up or halt',
    );
    expect(settled.filter((p) => p.status === 'halted').map((p) => `${p.name}: ${p.lastError}`)).toEqual([]);
    const store = platform.app.get(ProcessManagerStore);
    const stuck = await eventually(
      async () => {
        const rows = await store.checkpoints();
        return rows.every((row) => row.attempts === 0) ? [] : null;
      },
      15_000,
      'every process manager to be past its failures',
    ).catch(async () => (await store.checkpoints()).filter((row) => row.attempts > 0).map((row) => `${row.name}: ${row.attempts} attempts, ${row.last_error}`));
    expect(stuck).toEqual([]);
    const health = await platform.http.get('/health');
    expect({ status: health.status, body: health.body }).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok' }) });
  }, 60_000);
});

function setAt(value: unknown, path: string[], leaf: unknown): unknown {
  const root: Json = typeof value === 'object' && value !== null ? structuredClone(value) : {};
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key];
  }
  node[path[path.length - 1]] = leaf;
  return root;
}

function omit(value: unknown, field: string): unknown {
  const copy: Json = { ...(value as Json) };
  delete copy[field];
  return copy;
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return truncate(text, 60);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…(${text.length})` : text;
}
