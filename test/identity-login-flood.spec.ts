import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { BeakHashSlots } from '../libs/identity/src/application/beak-hash-slots';
import { ADMIN, Staff, startPlatform, type TestUser, uniqueBeak } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';

type Response = request.Response;

/** Runs `count` calls with at most `concurrency` in flight, as a client flooding the server would. */
async function flood(count: number, concurrency: number, call: (i: number) => Promise<Response>): Promise<Response[]> {
  const responses: Response[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) responses.push(await call(next++));
    }),
  );
  return responses;
}

/** Counts the beak hashes actually computed, and the most computed at once. */
function watchHashes(platform: TestApp): { total: number; peak: number; reset(): void } {
  const slots = platform.app.get(BeakHashSlots);
  const run = slots.run.bind(slots);
  const watch = { total: 0, peak: 0, inFlight: 0, reset: () => Object.assign(watch, { total: 0, peak: 0 }) };
  jest.spyOn(slots, 'run').mockImplementation((hash) =>
    run(async () => {
      watch.total += 1;
      watch.inFlight += 1;
      watch.peak = Math.max(watch.peak, watch.inFlight);
      try {
        return await hash();
      } finally {
        watch.inFlight -= 1;
      }
    }),
  );
  return watch;
}

function expectRetryAfter(response: Response): void {
  expect(response.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
}

const statuses = (responses: Response[]) => responses.map((r) => r.status);
const count = (responses: Response[], status: number) => responses.filter((r) => r.status === status).length;

describe('identity: login floods are refused cheaply', () => {
  const MAX_PER_EMAIL = 5;
  const MAX_PER_CLIENT = 30;
  const HASH_CONCURRENCY = 2;
  let platform: TestApp;
  let staff: Staff;
  let victim: TestUser;
  let bystander: TestUser;
  let hashes: ReturnType<typeof watchHashes>;

  beforeAll(async () => {
    platform = await startPlatform({
      env: {
        BEAK_HASH_COST: '16384',
        BEAK_HASH_CONCURRENCY: String(HASH_CONCURRENCY),
        BEAK_HASH_QUEUE: '64',
        LOGIN_MAX_FAILURES_PER_EMAIL: String(MAX_PER_EMAIL),
        LOGIN_MAX_FAILURES_PER_CLIENT: String(MAX_PER_CLIENT),
        LOGIN_FAILURE_WINDOW_SECONDS: '600',
      },
    });
    staff = await Staff.of(platform.http);
    [victim, bystander] = await Promise.all([staff.hire('worker'), staff.hire('worker')]);
    hashes = watchHashes(platform);
  });
  afterAll(() => platform.close());

  const logIn = (email: string, beak: object) => platform.http.post('/auth/login').send({ email, beak });

  it('60 wrong logins for one email at concurrency 20: at most the limit are checked, the rest are 429 with Retry-After', async () => {
    hashes.reset();
    const responses = await flood(60, 20, () => logIn(victim.email, uniqueBeak()));

    expect(new Set(statuses(responses))).toEqual(new Set([401, 429]));
    expect(count(responses, 401)).toBeLessThanOrEqual(MAX_PER_EMAIL);
    expect(count(responses, 429)).toBeGreaterThanOrEqual(60 - MAX_PER_EMAIL);
    for (const refused of responses.filter((r) => r.status === 429)) {
      expect(refused.body.error).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', details: { limitedBy: 'email' } });
      expectRetryAfter(refused);
    }
    expect(hashes.total).toBeLessThanOrEqual(MAX_PER_EMAIL);
    expect(hashes.peak).toBeLessThanOrEqual(HASH_CONCURRENCY);
  });

  it('locks that email for everyone until the window passes, the right beak too, while other users log in from the same address', async () => {
    const own = await logIn(victim.email, victim.beak);
    expect(own.status).toBe(429);
    expectRetryAfter(own);
    await logIn(bystander.email, bystander.beak).expect(200);
  });

  it('60 wrong logins over many emails from one address: once the address has its limit of failures, it is refused, real users from it too', async () => {
    hashes.reset();
    const responses = await flood(60, 20, () => logIn(`${randomUUID()}@popug.io`, uniqueBeak()));

    expect(new Set(statuses(responses))).toEqual(new Set([401, 429]));
    // The first flood's failures count for the address too.
    expect(count(responses, 401)).toBeLessThanOrEqual(MAX_PER_CLIENT - MAX_PER_EMAIL);
    for (const refused of responses.filter((r) => r.status === 429)) {
      expect(refused.body.error).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', details: { limitedBy: 'client' } });
      expectRetryAfter(refused);
    }
    expect(hashes.peak).toBeLessThanOrEqual(HASH_CONCURRENCY);

    const real = await logIn(bystander.email, bystander.beak);
    expect(real.status).toBe(429);
    expect(real.body.error.details.limitedBy).toBe('client');
  });
});

describe('identity: beak hashes are bounded however many logins arrive', () => {
  let platform: TestApp;
  let hashes: ReturnType<typeof watchHashes>;

  beforeAll(async () => {
    platform = await startPlatform({
      env: {
        BEAK_HASH_COST: '65536',
        BEAK_HASH_CONCURRENCY: '1',
        BEAK_HASH_QUEUE: '2',
        LOGIN_MAX_FAILURES_PER_EMAIL: '1000',
        LOGIN_MAX_FAILURES_PER_CLIENT: '1000',
      },
    });
    hashes = watchHashes(platform);
  });
  afterAll(() => platform.close());

  it('computes one at a time, queues two, and answers 503 SERVICE_UNAVAILABLE with Retry-After beyond that; then logs users in again', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => platform.http.post('/auth/login').send({ email: `${randomUUID()}@popug.io`, beak: uniqueBeak() })),
    );

    expect(new Set(statuses(responses))).toEqual(new Set([401, 503]));
    expect(count(responses, 401)).toBeGreaterThanOrEqual(3);
    for (const busy of responses.filter((r) => r.status === 503)) {
      expect(busy.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expectRetryAfter(busy);
    }
    expect(hashes.peak).toBe(1);

    await platform.http.post('/auth/login').send(ADMIN).expect(200);
  });
});

describe('the client behind a proxy (TRUST_PROXY)', () => {
  const failFrom = (platform: TestApp, address: string) =>
    platform.http.post('/auth/login').set('X-Forwarded-For', address).send({ email: `${randomUUID()}@popug.io`, beak: uniqueBeak() });

  it('with TRUST_PROXY the per-client limit is per forwarded address; without it, X-Forwarded-For is not believed', async () => {
    const env = { LOGIN_MAX_FAILURES_PER_CLIENT: '2', LOGIN_MAX_FAILURES_PER_EMAIL: '1000' };
    const trusting = await startPlatform({ env: { ...env, TRUST_PROXY: 'loopback' } });
    try {
      const first = [await failFrom(trusting, '203.0.113.7'), await failFrom(trusting, '203.0.113.7'), await failFrom(trusting, '203.0.113.7')];
      expect(statuses(first)).toEqual([401, 401, 429]);
      expect((await failFrom(trusting, '198.51.100.9')).status).toBe(401);
    } finally {
      await trusting.close();
    }
    const plain = await startPlatform({ env });
    try {
      await failFrom(plain, '203.0.113.7');
      await failFrom(plain, '203.0.113.7');
      // Forged addresses are not believed: the socket's address (the same for all) is the client.
      expect((await failFrom(plain, '198.51.100.9')).status).toBe(429);
    } finally {
      await plain.close();
    }
  });
});
