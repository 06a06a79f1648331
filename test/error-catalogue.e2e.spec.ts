import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as nest from '@nestjs/common';
import { EventStoreUnavailableError, InvalidPositionError, UnstorableEventError, WrongExpectedVersionError } from '@app/eventstore';
import { contexts } from '../apps/contexts';
import { defineError, errorCatalogue, type ErrorCatalogueEntry, toErrorResponse } from '@app/core';
import { startPlatform } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';

type Json = Record<string, any>;

const ROOT = join(__dirname, '..');

/** The production source: what can throw at a client (tests and benchmarks cannot). */
function productionFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : productionFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

interface Found {
  where: string;
  text: string;
}

function findAll(pattern: RegExp): Found[] {
  return ['apps', 'libs', 'projections'].flatMap(productionFiles).flatMap((file) => {
    const source = readFileSync(join(ROOT, file), 'utf8');
    return [...source.matchAll(pattern)].map((match) => ({
      where: `${relative(ROOT, join(ROOT, file))}:${source.slice(0, match.index).split('\n').length}`,
      text: match[0],
      ...match.groups,
    }));
  });
}

describe('GET /errors: every error code the API can answer', () => {
  let platform: TestApp;
  let catalogue: ErrorCatalogueEntry[];
  let byCode: Map<string, ErrorCatalogueEntry>;

  beforeAll(async () => {
    platform = await startPlatform();
    catalogue = (await platform.http.get('/errors').expect(200)).body;
    byCode = new Map(catalogue.map((entry) => [entry.code, entry]));
  });
  afterAll(() => platform?.close());

  it('answers anyone, without a token, each code once with its status and a one-line meaning, sorted by code', () => {
    expect(catalogue.length).toBeGreaterThan(20);
    for (const entry of catalogue) {
      expect(entry).toEqual({ code: expect.stringMatching(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/), status: expect.any(Number), message: expect.any(String) });
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.message.trim()).not.toBe('');
      expect(entry.message).not.toContain('\n');
    }
    const codes = catalogue.map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual([...codes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('lists the platform’s codes with their statuses', () => {
    expect(catalogue).toEqual(
      expect.arrayContaining(
        (
          [
            ['VALIDATION_FAILED', 400],
            ['UNAUTHENTICATED', 401],
            ['FORBIDDEN', 403],
            ['NOT_FOUND', 404],
            ['CONCURRENCY_CONFLICT', 409],
            ['PROJECTION_NOT_HALTED', 409],
            ['PROCESS_MANAGER_NOT_FAILING', 409],
            ['PAYLOAD_TOO_LARGE', 413],
            ['UNSUPPORTED_MEDIA_TYPE', 415],
            ['HEADERS_TOO_LARGE', 431],
            ['INTERNAL_ERROR', 500],
            ['READ_MODEL_LAGGING', 503],
            ['SERVICE_UNAVAILABLE', 503],
          ] as const
        ).map(([code, status]) => expect.objectContaining({ code, status })),
      ),
    );
  });

  it('lists every error class of every context, with the status its errors answer', async () => {
    const classes = {
      identity: await import('../libs/identity/src/domain/identity.errors'),
      tasks: await import('../libs/tasks/src/domain/tasks.errors'),
      accounting: await import('../libs/accounting/src/domain/accounting.errors'),
    };
    const missing: string[] = [];
    for (const [context, errors] of Object.entries(classes)) {
      for (const [name, errorClass] of Object.entries<any>(errors)) {
        if (byCode.get(errorClass.code)?.status !== errorClass.status) missing.push(`${context} ${name} (${errorClass.code} ${errorClass.status})`);
      }
    }
    expect(missing).toEqual([]);
    for (const code of ['EMAIL_TAKEN', 'INVALID_CREDENTIALS', 'LAST_ADMIN', 'INVALID_REFRESH_TOKEN', 'TOO_MANY_ATTEMPTS']) expect(byCode.get(code)).toBeDefined();
    for (const code of ['NO_WORKERS', 'NOT_ASSIGNEE', 'TASK_ALREADY_COMPLETED', 'TASK_ALREADY_EXISTS', 'RESHUFFLE_IN_PROGRESS', 'RESHUFFLE_UNFINISHED']) {
      expect(byCode.get(code)).toBeDefined();
    }
    for (const code of ['ACCOUNT_DAY_CLOSED', 'ACCOUNTING_CATCHING_UP', 'BILLING_CYCLE_NOT_STARTED', 'BILLING_DATE_BEFORE_LOG', 'BILLING_DATE_IN_FUTURE', 'INVALID_AMOUNT', 'INVALID_PRICE']) {
      expect(byCode.get(code)).toBeDefined();
    }
  });

  describe('cannot miss a code, read from the source', () => {
    it('every error class is made with defineError: none extends DomainError itself or constructs one bare', () => {
      const bare = [...findAll(/extends\s+DomainError\b/g), ...findAll(/new\s+DomainError\s*\(/g)].filter(
        (found) => !found.where.startsWith('libs/core/src/errors/domain-error.ts:'),
      );
      // Such a class names its code only in its constructor, where GET /errors cannot read it.
      expect(bare.map((found) => `${found.where}: ${found.text}: make the class with defineError({ code, status, meaning }) and list it in its context's errors`)).toEqual([]);
    });

    it('every code a class or a kind declares (`code: …, status: …`) is listed, with that status', () => {
      const declared = findAll(/code:\s*'(?<code>[A-Z][A-Z0-9_]*)'(?:\s*,\s*status:\s*(?<status>\d{3}))?/g) as Array<Found & { code: string; status?: string }>;
      expect(declared.length).toBeGreaterThan(30);
      const problems = declared
        .filter((found) => found.status === undefined || byCode.get(found.code)?.status !== Number(found.status))
        .map((found) =>
          found.status === undefined
            ? `${found.where}: ${found.code} without its status next to it (write { code, status, meaning })`
            : `${found.where}: ${found.code} ${found.status} is not in GET /errors with that status: list its class in its context's defineContext({ errors })`,
        );
      expect(problems).toEqual([]);
    });

    it('no production code throws a Nest HttpException of its own (the filter maps them by status only)', () => {
      const thrown = findAll(/new\s+\w+Exception\s*\(/g).map((found) => `${found.where}: ${found.text}: throw a defineError class instead`);
      expect(thrown).toEqual([]);
    });

    it('every code the exception filter answers, for anything thrown, is listed with the status it answers', () => {
      const statusesOfNest = Object.values<any>(nest)
        .filter((value) => typeof value === 'function' && value.prototype instanceof nest.HttpException)
        .map((exception) => {
          try {
            return new exception() as nest.HttpException;
          } catch {
            return null;
          }
        })
        .filter((exception): exception is nest.HttpException => exception !== null)
        // What the stack can throw without our code naming it: the router's 404, the pipes' 400, and
        // any status the filter has a code for.
        .filter((exception) => [400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 503].includes(exception.getStatus()));
      const bodyParser = [400, 403, 413, 415].map((status) => Object.assign(new Error('body parser'), { status, type: 'entity.too.large' }));
      const thrown: unknown[] = [
        ...statusesOfNest,
        ...bodyParser,
        new InvalidPositionError('zz'),
        new UnstorableEventError('s', 'T', 'data'),
        new WrongExpectedVersionError('s', 1n, 2n),
        new EventStoreUnavailableError('down'),
        Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        new Error('a bug'),
      ];
      const problems = thrown
        .map((error) => toErrorResponse(error))
        .filter(({ status, body }) => byCode.get(body.error.code)?.status !== status)
        .map(({ status, body }) => `${body.error.code} ${status}`);
      expect(statusesOfNest.length).toBeGreaterThan(8);
      expect(problems).toEqual([]);
    });

    it('every code the API document declares for an operation is listed', async () => {
      const document: Json = (await platform.http.get('/docs-json').expect(200)).body;
      const declared = new Set<string>();
      for (const item of Object.values<Json>(document.paths)) {
        for (const operation of Object.values<Json>(item)) {
          for (const response of Object.values<Json>(operation.responses ?? {})) {
            const schema = response.content?.['application/json']?.schema;
            for (const part of schema?.allOf ?? []) for (const code of part.properties?.error?.properties?.code?.enum ?? []) declared.add(code);
          }
        }
      }
      expect(declared.size).toBeGreaterThan(10);
      expect([...declared].filter((code) => !byCode.has(code))).toEqual([]);
    });
  });

  it('is in the API document as a public operation', async () => {
    const document: Json = (await platform.http.get('/docs-json').expect(200)).body;
    expect(document.paths['/errors'].get).toMatchObject({ security: [], tags: ['operations'] });
  });
});

describe('the catalogue, built from the platform and the contexts', () => {
  it('refuses a code declared twice with two statuses or two meanings, and keeps one entry for a shared kind', () => {
    const Taken = defineError({ code: 'SEAT_TAKEN', status: 409, meaning: 'Someone holds the seat' });
    const TakenAgain = defineError({ code: 'SEAT_TAKEN', status: 422, meaning: 'Someone holds the seat' });
    const Reworded = defineError({ code: 'SEAT_TAKEN', status: 409, meaning: 'The seat is taken' });
    const context = (errors: unknown[]) => ({ name: 'seats', errors }) as Parameters<typeof errorCatalogue>[0][number];
    expect(errorCatalogue([context([Taken, Taken])]).filter((e) => e.code === 'SEAT_TAKEN')).toEqual([{ code: 'SEAT_TAKEN', status: 409, message: 'Someone holds the seat' }]);
    expect(() => errorCatalogue([context([Taken, TakenAgain])])).toThrow(/SEAT_TAKEN \(seats\) is declared again as 422/);
    expect(() => errorCatalogue([context([Taken, Reworded])])).toThrow(/SEAT_TAKEN/);
    expect(() => errorCatalogue([context([{ code: 'seat-taken', status: 409, meaning: 'x' }])])).toThrow(/SCREAMING_SNAKE_CASE/);
  });

  it('an instance carries the code and status of its class, and its own message and details', () => {
    class SeatTaken extends defineError({ code: 'SEAT_TAKEN', status: 409, meaning: 'Someone holds the seat' }) {
      constructor(seat: string) {
        super(`Seat ${seat} is held`, { seat });
      }
    }
    const error = new SeatTaken('12A');
    expect(error).toMatchObject({ code: 'SEAT_TAKEN', status: 409, message: 'Seat 12A is held', details: { seat: '12A' } });
    expect(toErrorResponse(error)).toEqual({ status: 409, body: { error: { code: 'SEAT_TAKEN', message: 'Seat 12A is held', details: { seat: '12A' } } }, headers: {} });
  });

  it('the platform’s contexts declare no code twice', () => {
    expect(() => errorCatalogue(contexts)).not.toThrow();
  });
});
