import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Role } from '@app/identity';
import { AccessTokens } from '../libs/identity/src/application/access-tokens';
import { userIdForEmail } from '../libs/identity/src/application/user-id';
import { KNEX } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { ADMIN, bearer, IDENTITY_ENV, Staff, startPlatform, type TestUser, uniqueBeak } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';
import { createTestDatabase } from './support/test-database';
import { eventually } from './support/wait';

type Actor = Role | 'anonymous';
const ACTORS: Actor[] = ['anonymous', 'admin', 'manager', 'accountant', 'worker', 'customer'];

describe('identity over HTTP', () => {
  let platform: TestApp;
  let staff: Staff;
  let cast: Record<Role, TestUser>;
  /** The newest position any setup step wrote, for ?after= on queries. */
  let latest: string;

  beforeAll(async () => {
    platform = await startPlatform();
    staff = await Staff.of(platform.http);
    const [manager, accountant, worker, customer] = await Promise.all([staff.hire('manager'), staff.hire('accountant'), staff.hire('worker'), staff.hire('customer')]);
    cast = { admin: staff.admin, manager, accountant, worker, customer };
    latest = [manager, accountant, worker, customer].map((u) => u.position).sort().at(-1)!;
  });
  afterAll(() => platform.close());

  const http = () => platform.http;

  describe('POST /auth/register', () => {
    it('registers anyone as a worker, who can then log in and see themselves', async () => {
      const email = `${randomUUID()}@popug.io`;
      const beak = uniqueBeak();
      const registered = await http().post('/auth/register').send({ name: 'Pip', email, beak }).expect(201);
      expect(registered.body).toEqual({ userId: expect.stringMatching(/^[0-9a-f-]{36}$/), role: 'worker', position: expect.any(String) });
      const login = await http().post('/auth/login').send({ email, beak }).expect(200);
      expect(login.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        userId: registered.body.userId,
        role: 'worker',
        expiresIn: 900,
      });
      const me = await http().get('/auth/me').query({ after: registered.body.position }).set(bearer({ token: login.body.accessToken })).expect(200);
      expect(me.body).toEqual({ userId: registered.body.userId, name: 'Pip', email, role: 'worker', active: true });
    });

    it('registers a customer when asked, and no one as staff: role worker or customer only, worker by default', async () => {
      const email = `${randomUUID()}@popug.io`;
      const beak = uniqueBeak();
      const registered = await http().post('/auth/register').send({ name: 'Cus', email, beak, role: 'customer' }).expect(201);
      expect(registered.body).toEqual({ userId: expect.any(String), role: 'customer', position: expect.any(String) });
      const login = await http().post('/auth/login').send({ email, beak }).expect(200);
      expect(login.body.role).toBe('customer');
      const me = await http().get('/auth/me').query({ after: registered.body.position }).set(bearer({ token: login.body.accessToken })).expect(200);
      expect(me.body.role).toBe('customer');
      await http().post('/auth/register').send({ name: 'W', email: `${randomUUID()}@popug.io`, beak: uniqueBeak(), role: 'worker' }).expect(201);
      for (const role of ['admin', 'manager', 'accountant', 'Customer', null, 7]) {
        const refused = await http().post('/auth/register').send({ name: 'X', email: `${randomUUID()}@popug.io`, beak: uniqueBeak(), role }).expect(400);
        expect(Object.keys(refused.body.error.details.fields)).toEqual(['role']);
      }
    });

    it('an admin creates a customer and makes a worker one', async () => {
      const created = await http().post('/auth/users').set(bearer(cast.admin)).send({ name: 'C', email: `${randomUUID()}@popug.io`, beak: uniqueBeak(), role: 'customer' }).expect(201);
      expect(created.body.role).toBe('customer');
      const worker = await http().post('/auth/register').send({ name: 'W', email: `${randomUUID()}@popug.io`, beak: uniqueBeak() }).expect(201);
      const changed = await http().patch(`/auth/users/${worker.body.userId}/role`).set(bearer(cast.admin)).send({ role: 'customer' }).expect(200);
      expect(changed.body).toMatchObject({ userId: worker.body.userId, role: 'customer' });
    });

    it('refuses an email already taken, whatever its case, with 409 EMAIL_TAKEN', async () => {
      const email = `${randomUUID()}@popug.io`;
      await http().post('/auth/register').send({ name: 'Pip', email, beak: uniqueBeak() }).expect(201);
      const again = await http().post('/auth/register').send({ name: 'Pop', email: email.toUpperCase(), beak: uniqueBeak() });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'EMAIL_TAKEN' });
      const byAdmin = await http().post('/auth/users').set(bearer(cast.admin)).send({ name: 'Pop', email, beak: uniqueBeak(), role: 'manager' });
      expect(byAdmin.status).toBe(409);
      expect(byAdmin.body.error.code).toBe('EMAIL_TAKEN');
    });

    it('of two registrations with one email at the same time, exactly one wins', async () => {
      const email = `${randomUUID()}@popug.io`;
      const attempts = await Promise.all(
        ['Twin A', 'Twin B'].map((name) => http().post('/auth/register').send({ name, email, beak: uniqueBeak() })),
      );
      expect(attempts.map((r) => r.status).sort()).toEqual([201, 409]);
      const events = await platform.app.get<EventStore>(EVENT_STORE).readStream(`user-${userIdForEmail(email)}`);
      expect(events.map((e) => e.type)).toEqual(['UserRegistered']);
    });

    it.each([
      ['no body', {}, ['name', 'email', 'beak']],
      ['a bad email', { name: 'Pip', email: 'pip', beak: uniqueBeak() }, ['email']],
      ['a negative beak measure', { name: 'Pip', email: 'pip@popug.io', beak: { ...uniqueBeak(), curvature: -1 } }, ['beak.curvature']],
      ['a beak that is not numbers', { name: 'Pip', email: 'pip@popug.io', beak: { length: 'long', depth: 1, width: 1, curvature: 1 } }, ['beak.length']],
      ['a beak missing a measure', { name: 'Pip', email: 'pip@popug.io', beak: { length: 1, depth: 1, width: 1 } }, ['beak.curvature']],
      ['an empty name', { name: '', email: 'pip@popug.io', beak: uniqueBeak() }, ['name']],
      ['a role (self-registration is always worker)', { name: 'Pip', email: 'pip@popug.io', beak: uniqueBeak(), role: 'admin' }, ['role']],
    ])('answers 400 VALIDATION_FAILED naming the fields for %s', async (_, body, fields) => {
      const response = await http().post('/auth/register').send(body).expect(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(response.body.error.details.fields)).toEqual(expect.arrayContaining(fields));
    });
  });

  describe('POST /auth/users', () => {
    it.each(['admin', 'manager', 'accountant', 'worker'] as const)('lets an admin create a %s, who logs in with that role', async (role) => {
      const email = `${randomUUID()}@popug.io`;
      const beak = uniqueBeak();
      const created = await http().post('/auth/users').set(bearer(cast.admin)).send({ name: 'New', email, beak, role }).expect(201);
      expect(created.body).toEqual({ userId: expect.any(String), role, position: expect.any(String) });
      expect((await http().post('/auth/login').send({ email, beak }).expect(200)).body.role).toBe(role);
    });

    it('records the admin who created the user in the event metadata', async () => {
      const email = `${randomUUID()}@popug.io`;
      const traceKey = randomUUID();
      const created = await http()
        .post('/auth/users')
        .set(bearer(cast.admin))
        .set('X-Trace-Key', traceKey)
        .send({ name: 'New', email, beak: uniqueBeak(), role: 'accountant' })
        .expect(201);
      const [event] = await platform.app.get<EventStore>(EVENT_STORE).readStream(`user-${created.body.userId}`);
      expect(event.metadata).toMatchObject({ userId: cast.admin.userId, traceKey });
    });

    it('refuses an unknown role with 400 VALIDATION_FAILED', async () => {
      const response = await http().post('/auth/users').set(bearer(cast.admin)).send({ name: 'X', email: 'x@popug.io', beak: uniqueBeak(), role: 'owner' });
      expect(response.status).toBe(400);
      expect(response.body.error.details.fields).toHaveProperty('role');
    });
  });

  describe('PATCH /auth/users/:userId/role', () => {
    it('changes the role: the users list shows it, and the next login carries it', async () => {
      const user = await staff.hire('worker');
      const changed = await http().patch(`/auth/users/${user.userId}/role`).set(bearer(cast.admin)).send({ role: 'manager' }).expect(200);
      expect(changed.body).toEqual({ userId: user.userId, role: 'manager', position: expect.any(String) });
      const users = await http().get('/users').query({ after: changed.body.position }).set(bearer(cast.admin)).expect(200);
      expect(users.body).toContainEqual({ userId: user.userId, name: user.name, email: user.email, role: 'manager', active: true });
      expect((await http().post('/auth/login').send({ email: user.email, beak: user.beak }).expect(200)).body.role).toBe('manager');
    });

    it('answers 200 with a position to read from when the user already has the role', async () => {
      const user = await staff.hire('accountant');
      const same = await http().patch(`/auth/users/${user.userId}/role`).set(bearer(cast.admin)).send({ role: 'accountant' }).expect(200);
      expect(same.body).toEqual({ userId: user.userId, role: 'accountant', position: user.position });
      const events = await platform.app.get<EventStore>(EVENT_STORE).readStream(`user-${user.userId}`);
      expect(events).toHaveLength(1);
    });

    it('answers 404 NOT_FOUND for an unknown user and 400 for a malformed id or role', async () => {
      const unknown = await http().patch(`/auth/users/${randomUUID()}/role`).set(bearer(cast.admin)).send({ role: 'manager' }).expect(404);
      expect(unknown.body.error.code).toBe('NOT_FOUND');
      const badId = await http().patch('/auth/users/42/role').set(bearer(cast.admin)).send({ role: 'manager' }).expect(400);
      expect(badId.body.error.details.fields).toHaveProperty('userId');
      const badRole = await http().patch(`/auth/users/${cast.worker.userId}/role`).set(bearer(cast.admin)).send({ role: 'boss' }).expect(400);
      expect(badRole.body.error.details.fields).toHaveProperty('role');
    });
  });

  describe('POST /auth/login', () => {
    it('logs the bootstrap admin in', async () => {
      const login = await http().post('/auth/login').send(ADMIN).expect(200);
      expect(login.body).toMatchObject({ userId: userIdForEmail(ADMIN.email), role: 'admin' });
    });

    it('compares beaks after rounding each measure to one decimal, and emails without case', async () => {
      const { email, beak } = cast.worker;
      await http().post('/auth/login').send({ email: email.toUpperCase(), beak: { ...beak, depth: beak.depth + 0.04 } }).expect(200);
    });

    it('answers 401 INVALID_CREDENTIALS for a wrong beak and for an unknown email alike', async () => {
      const wrongBeak = await http().post('/auth/login').send({ email: cast.worker.email, beak: { ...cast.worker.beak, width: 9.9 } }).expect(401);
      const unknown = await http().post('/auth/login').send({ email: 'nobody@popug.io', beak: cast.worker.beak }).expect(401);
      expect(wrongBeak.body).toEqual(unknown.body);
      expect(unknown.body.error.code).toBe('INVALID_CREDENTIALS');
    });

    it('answers 400 VALIDATION_FAILED for a missing beak', async () => {
      const response = await http().post('/auth/login').send({ email: cast.worker.email }).expect(400);
      expect(response.body.error.details.fields).toHaveProperty('beak');
    });
  });

  describe('GET /auth/me', () => {
    it('shows the caller', async () => {
      const me = await http().get('/auth/me').query({ after: latest }).set(bearer(cast.accountant)).expect(200);
      expect(me.body).toEqual({ userId: cast.accountant.userId, name: cast.accountant.name, email: cast.accountant.email, role: 'accountant', active: true });
    });

    it('answers 401 UNAUTHENTICATED without a token, with a malformed or forged one, and with an expired one', async () => {
      const tokens = platform.app.get(AccessTokens);
      const aMinuteAgo = { now: () => new Date(Date.now() - 61_000) };
      const expired = new AccessTokens(Buffer.from(IDENTITY_ENV.JWT_SECRET), 60, aMinuteAgo).issue({ userId: cast.admin.userId, role: 'admin', version: 0 });
      const forged = new AccessTokens(Buffer.from('not our secret'), 60).issue({ userId: cast.admin.userId, role: 'admin', version: 0 });
      expect(tokens.verify(expired.accessToken)).toBeNull();
      for (const authorization of [undefined, 'Bearer', 'Bearer nonsense', `Basic ${cast.worker.token}`, `Bearer ${expired.accessToken}`, `Bearer ${forged.accessToken}`]) {
        const call = http().get('/auth/me');
        if (authorization) call.set('Authorization', authorization);
        const response = await call.expect(401);
        expect(response.body.error.code).toBe('UNAUTHENTICATED');
      }
    });
  });

  describe('GET /users', () => {
    it('lists everyone with their role, and never a beak or its hash', async () => {
      const users = await http().get('/users').query({ after: latest }).set(bearer(cast.manager)).expect(200);
      for (const user of Object.values(cast)) {
        expect(users.body).toContainEqual({ userId: user.userId, name: user.name, email: user.email, role: user.role, active: true });
      }
      expect(JSON.stringify(users.body)).not.toMatch(/beak|scrypt/i);
    });
  });

  describe('who may call what', () => {
    const target = () => cast.worker.userId;
    const endpoints: Array<{ name: string; allowed: Actor[]; status: number; call: () => ReturnType<ReturnType<typeof http>['get']> }> = [
      {
        name: 'POST /auth/register',
        allowed: ACTORS,
        status: 201,
        call: () => http().post('/auth/register').send({ name: 'R', email: `${randomUUID()}@popug.io`, beak: uniqueBeak() }),
      },
      {
        name: 'POST /auth/users',
        allowed: ['admin'],
        status: 201,
        call: () => http().post('/auth/users').send({ name: 'U', email: `${randomUUID()}@popug.io`, beak: uniqueBeak(), role: 'worker' }),
      },
      { name: 'PATCH /auth/users/:userId/role', allowed: ['admin'], status: 200, call: () => http().patch(`/auth/users/${target()}/role`).send({ role: 'worker' }) },
      { name: 'POST /auth/users/:userId/reactivate', allowed: ['admin'], status: 200, call: () => http().post(`/auth/users/${target()}/reactivate`) },
      {
        name: 'POST /auth/logout',
        allowed: ['admin', 'manager', 'accountant', 'worker', 'customer'],
        status: 401,
        call: () => http().post('/auth/logout').send({ refreshToken: `${randomUUID()}.${'x'.repeat(43)}` }),
      },
      { name: 'POST /auth/login', allowed: ACTORS, status: 200, call: () => http().post('/auth/login').send({ email: cast.worker.email, beak: cast.worker.beak }) },
      { name: 'GET /auth/me', allowed: ['admin', 'manager', 'accountant', 'worker', 'customer'], status: 200, call: () => http().get('/auth/me').query({ after: latest }) },
      { name: 'GET /users', allowed: ['admin', 'manager'], status: 200, call: () => http().get('/users') },
      { name: 'GET /projections', allowed: ['admin'], status: 200, call: () => http().get('/projections') },
      { name: 'POST /projections/:name/rebuild', allowed: ['admin'], status: 202, call: () => http().post('/projections/users/rebuild') },
      // Allowed for admins; `users` is not halted, so there is nothing to retry.
      { name: 'POST /projections/:name/retry', allowed: ['admin'], status: 409, call: () => http().post('/projections/users/retry') },
      { name: 'GET /health', allowed: ACTORS, status: 200, call: () => http().get('/health') },
    ];
    const cases = endpoints.flatMap((endpoint) => ACTORS.map((actor) => [endpoint.name, actor, endpoint] as const));

    it.each(cases)('%s as %s', async (_, actor, endpoint) => {
      const call = endpoint.call();
      if (actor !== 'anonymous') call.set(bearer(cast[actor]));
      const response = await call;
      if (endpoint.allowed.includes(actor)) {
        expect(response.status).toBe(endpoint.status);
      } else {
        expect(response.status).toBe(actor === 'anonymous' ? 401 : 403);
        expect(response.body.error.code).toBe(actor === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
      }
    });
  });

  describe('replay', () => {
    it('rebuilding the users read model from the log gives the same rows', async () => {
      const knex = platform.app.get<Knex>(KNEX);
      const idle = async () => {
        const report = (await http().get('/projections').set(bearer(cast.admin)).expect(200)).body.find((p: { name: string }) => p.name === 'users');
        return report.status === 'running' && report.rebuild === null;
      };
      // The role matrix above asked for a rebuild too (admins may): let it finish, so `before` is read from the generation that serves.
      await eventually(idle);
      const head = (await http().post('/auth/register').send({ name: 'Last', email: `${randomUUID()}@popug.io`, beak: uniqueBeak() }).expect(201)).body.position;
      await http().get('/users').query({ after: head }).set(bearer(cast.admin)).expect(200);
      const before = await knex('users').orderBy('user_id');
      await http().post('/projections/users/rebuild').set(bearer(cast.admin)).expect(202);
      await eventually(idle);
      expect(await knex('users').orderBy('user_id')).toEqual(before);
    });
  });

  it('documents every identity endpoint in the OpenAPI document, with bearer auth where needed', async () => {
    const document = (await http().get('/docs-json').expect(200)).body;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/auth/register',
        '/auth/users',
        '/auth/users/{userId}/role',
        '/auth/users/{userId}/deactivate',
        '/auth/users/{userId}/reactivate',
        '/auth/login',
        '/auth/refresh',
        '/auth/logout',
        '/auth/me',
        '/auth/me/beak',
        '/users',
      ]),
    );
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, { summary?: string }>>)) {
      if (path.startsWith('/auth') || path === '/users') for (const operation of Object.values(operations)) expect(operation.summary).toEqual(expect.any(String));
    }
    expect(document.paths['/auth/login'].post.responses['429'].headers).toHaveProperty('Retry-After');
    expect(document.paths['/users'].get.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/auth/register'].post.security ?? []).toEqual([]);
    expect(document.components.schemas.RegisterRequest.required).toEqual(expect.arrayContaining(['name', 'email', 'beak']));
  });
});

describe('the bootstrap admin', () => {
  it('is created once, however often and however many processes start', async () => {
    const database = await createTestDatabase('bootstrap');
    const [first, second] = await Promise.all([startPlatform({ database }), startPlatform({ database })]);
    await first.close({ keepDatabase: true });
    await second.close({ keepDatabase: true });
    const restarted = await startPlatform({ database });
    try {
      const events = await restarted.app.get<EventStore>(EVENT_STORE).readAll({ filter: { eventTypes: ['UserRegistered'] } });
      expect(events.map((e) => [e.streamName, (e.data as { role: string }).role])).toEqual([[`user-${userIdForEmail(ADMIN.email)}`, 'admin']]);
      await restarted.http.post('/auth/login').send(ADMIN).expect(200);
    } finally {
      await restarted.close();
    }
  });
});
