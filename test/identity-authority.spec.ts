import { randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { userIdForEmail } from '../libs/identity/src/application/user-id';
import { bearer, Staff, startPlatform, type TestUser, uniqueBeak } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';

/**
 * Authority is checked when it is used: a role change, a deactivation or a beak change applies
 * to the user's very next request, in every api process, not when their token expires.
 */
describe('identity: authority ends when it is taken away', () => {
  let platform: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    platform = await startPlatform();
    staff = await Staff.of(platform.http);
  });
  afterAll(() => platform.close());

  const http = () => platform.http;
  const admin = () => staff.admin;

  describe('a role change', () => {
    it('leaves a demoted admin’s old token unable to create an admin or promote itself: 403 on the very next request', async () => {
      const demoted = await staff.hire('admin');
      await http().post('/auth/users').set(bearer(demoted)).send({ name: 'Ally', email: `${randomUUID()}@popug.io`, beak: uniqueBeak(), role: 'admin' }).expect(201);
      await http().patch(`/auth/users/${demoted.userId}/role`).set(bearer(admin())).send({ role: 'worker' }).expect(200);

      const created = await http()
        .post('/auth/users')
        .set(bearer(demoted))
        .send({ name: 'Sleeper', email: `${randomUUID()}@popug.io`, beak: uniqueBeak(), role: 'admin' });
      expect(created.status).toBe(403);
      expect(created.body.error.code).toBe('FORBIDDEN');
      const promoted = await http().patch(`/auth/users/${demoted.userId}/role`).set(bearer(demoted)).send({ role: 'admin' });
      expect(promoted.status).toBe(403);
      const events = await platform.app.get<EventStore>(EVENT_STORE).readStream(`user-${demoted.userId}`);
      expect(events.map((e) => e.type)).toEqual(['UserRegistered', 'UserRoleChanged']);
    });

    it('gives the old token the new role rather than logging the user out', async () => {
      const user = await staff.hire('accountant');
      const changed = await http().patch(`/auth/users/${user.userId}/role`).set(bearer(admin())).send({ role: 'manager' }).expect(200);
      await http().get('/users').set(bearer(user)).expect(200);
      const me = await http().get('/auth/me').query({ after: changed.body.position }).set(bearer(user)).expect(200);
      expect(me.body.role).toBe('manager');
    });

    it('leaves a demoted manager unable to list users or reassign tasks on the very next request', async () => {
      const manager = await staff.hire('manager');
      await http().get('/users').set(bearer(manager)).expect(200);
      await http().patch(`/auth/users/${manager.userId}/role`).set(bearer(admin())).send({ role: 'worker' }).expect(200);
      expect((await http().get('/users').set(bearer(manager))).status).toBe(403);
      const reassign = await http().post('/tasks/reassign').set(bearer(manager));
      expect(reassign.status).toBe(403);
      expect(reassign.body.error.code).toBe('FORBIDDEN');
    });

    it('applies in every api process at once, whichever process made it', async () => {
      const second = await startPlatform({ database: platform.database });
      try {
        const processes = [platform.http, second.http];
        for (let round = 0; round < 6; round++) {
          const [writer, reader] = round % 2 === 0 ? processes : [...processes].reverse();
          const manager = await staff.hire('manager');
          await reader.get('/users').set(bearer(manager)).expect(200);
          await writer.patch(`/auth/users/${manager.userId}/role`).set(bearer(admin())).send({ role: 'worker' }).expect(200);
          expect((await reader.get('/users').set(bearer(manager))).status).toBe(403);
          await writer.post(`/auth/users/${manager.userId}/deactivate`).set(bearer(admin())).expect(200);
          expect((await reader.get('/auth/me').set(bearer(manager))).status).toBe(401);
        }
      } finally {
        await second.close({ keepDatabase: true });
      }
    });
  });

  describe('deactivation', () => {
    it('refuses the user’s tokens at once, their logins and refreshes; reactivation lets them log in again, not the old tokens back', async () => {
      const worker = await staff.hire('worker');
      await http().get('/auth/me').query({ after: worker.position }).set(bearer(worker)).expect(200);

      const deactivated = await http().post(`/auth/users/${worker.userId}/deactivate`).set(bearer(admin())).expect(200);
      expect(deactivated.body).toEqual({ userId: worker.userId, active: false, position: expect.any(String) });
      const refused = await http().get('/auth/me').set(bearer(worker));
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('UNAUTHENTICATED');
      const login = await http().post('/auth/login').send({ email: worker.email, beak: worker.beak });
      expect(login.status).toBe(401);
      expect(login.body.error.code).toBe('INVALID_CREDENTIALS');
      const refresh = await http().post('/auth/refresh').send({ refreshToken: worker.refreshToken });
      expect(refresh.status).toBe(401);
      expect(refresh.body.error.code).toBe('INVALID_REFRESH_TOKEN');
      const users = await http().get('/users').query({ after: deactivated.body.position }).set(bearer(admin())).expect(200);
      expect(users.body).toContainEqual(expect.objectContaining({ userId: worker.userId, active: false }));

      const again = await http().post(`/auth/users/${worker.userId}/deactivate`).set(bearer(admin())).expect(200);
      expect(again.body).toEqual({ userId: worker.userId, active: false, position: deactivated.body.position });

      const reactivated = await http().post(`/auth/users/${worker.userId}/reactivate`).set(bearer(admin())).expect(200);
      expect(reactivated.body).toEqual({ userId: worker.userId, active: true, position: expect.any(String) });
      expect((await http().get('/auth/me').set(bearer(worker))).status).toBe(401);
      expect((await http().post('/auth/refresh').send({ refreshToken: worker.refreshToken })).status).toBe(401);
      const token = await staff.logIn(worker.email, worker.beak);
      await http().get('/auth/me').query({ after: worker.position }).set(bearer({ token })).expect(200);
    });

    it('never draws a deactivated worker as an assignee', async () => {
      const [keeps, leaves] = await Promise.all([staff.hire('worker'), staff.hire('worker')]);
      await http().post(`/auth/users/${leaves.userId}/deactivate`).set(bearer(admin())).expect(200);
      const assignees = new Set<string>();
      for (let i = 0; i < 15; i++) {
        const created = await http().post('/tasks').set(bearer(keeps)).send({ title: `Task ${i}`, description: 'd' }).expect(201);
        assignees.add(created.body.assigneeId);
      }
      expect(assignees.has(leaves.userId)).toBe(false);
    });

    it('answers 404 NOT_FOUND for an unknown user and 403 for anyone but an admin', async () => {
      const unknown = await http().post(`/auth/users/${randomUUID()}/deactivate`).set(bearer(admin())).expect(404);
      expect(unknown.body.error.code).toBe('NOT_FOUND');
      const manager = await staff.hire('manager');
      expect((await http().post(`/auth/users/${manager.userId}/deactivate`).set(bearer(manager))).status).toBe(403);
    });
  });

  describe('refresh tokens', () => {
    it('rotate: a refresh answers new tokens, and the refresh token it used no longer works', async () => {
      const user = await staff.hire('worker');
      const first = await http().post('/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
      expect(first.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900, userId: user.userId, role: 'worker' });
      expect(first.body.refreshToken).not.toBe(user.refreshToken);
      await http().get('/auth/me').query({ after: user.position }).set(bearer({ token: first.body.accessToken })).expect(200);
      const reused = await http().post('/auth/refresh').send({ refreshToken: user.refreshToken });
      expect(reused.status).toBe(401);
      expect(reused.body.error.code).toBe('INVALID_REFRESH_TOKEN');
      await http().post('/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(200);
    });

    it('of two refreshes with one token at the same time, exactly one succeeds', async () => {
      const user = await staff.hire('worker');
      const attempts = await Promise.all([1, 2, 3].map(() => http().post('/auth/refresh').send({ refreshToken: user.refreshToken })));
      expect(attempts.map((r) => r.status).sort()).toEqual([200, 401, 401]);
    });

    it('carry the role as it is now', async () => {
      const user = await staff.hire('worker');
      await http().patch(`/auth/users/${user.userId}/role`).set(bearer(admin())).send({ role: 'manager' }).expect(200);
      const refreshed = await http().post('/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
      expect(refreshed.body.role).toBe('manager');
    });

    it('refuse garbage and tokens that were never issued', async () => {
      for (const refreshToken of ['', 'nonsense', `${randomUUID()}.${'A'.repeat(43)}`, 'a\u0000b']) {
        const response = await http().post('/auth/refresh').send({ refreshToken });
        expect([400, 401]).toContain(response.status);
        if (response.status === 401) expect(response.body.error.code).toBe('INVALID_REFRESH_TOKEN');
      }
    });

    it('logout revokes that refresh token only, and only its own user can use it to log out', async () => {
      const user = await staff.hire('worker');
      const other = await staff.session(user.email, user.beak);
      const stranger = await staff.hire('worker');
      const foreign = await http().post('/auth/logout').set(bearer(stranger)).send({ refreshToken: user.refreshToken });
      expect(foreign.status).toBe(401);
      expect(foreign.body.error.code).toBe('INVALID_REFRESH_TOKEN');

      const out = await http().post('/auth/logout').set(bearer(user)).send({ refreshToken: user.refreshToken }).expect(200);
      expect(out.body).toEqual({ position: expect.any(String) });
      const refused = await http().post('/auth/refresh').send({ refreshToken: user.refreshToken });
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('INVALID_REFRESH_TOKEN');
      await http().post('/auth/logout').set(bearer(user)).send({ refreshToken: user.refreshToken }).expect(200);
      await http().post('/auth/refresh').send({ refreshToken: other.refreshToken }).expect(200);
      expect((await http().post('/auth/logout').send({ refreshToken: other.refreshToken })).status).toBe(401);
    });
  });

  describe('POST /auth/me/beak', () => {
    it('changes the caller’s beak: only the new one logs in, and every token from before stops working', async () => {
      const user = await staff.hire('worker');
      const second = await staff.session(user.email, user.beak);
      const newBeak = uniqueBeak();
      const changed = await http().post('/auth/me/beak').set(bearer(user)).send({ oldBeak: user.beak, newBeak }).expect(200);
      expect(changed.body).toEqual({ userId: user.userId, position: expect.any(String) });

      expect((await http().post('/auth/login').send({ email: user.email, beak: user.beak })).status).toBe(401);
      for (const token of [user.token, second.token]) expect((await http().get('/auth/me').set(bearer({ token }))).status).toBe(401);
      for (const refreshToken of [user.refreshToken, second.refreshToken]) {
        expect((await http().post('/auth/refresh').send({ refreshToken })).body.error.code).toBe('INVALID_REFRESH_TOKEN');
      }
      const token = await staff.logIn(user.email, newBeak);
      await http().get('/auth/me').query({ after: user.position }).set(bearer({ token })).expect(200);
    });

    it('answers 401 INVALID_CREDENTIALS for a wrong old beak and changes nothing', async () => {
      const user = await staff.hire('worker');
      const wrong = await http().post('/auth/me/beak').set(bearer(user)).send({ oldBeak: uniqueBeak(), newBeak: uniqueBeak() });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
      await http().get('/auth/me').query({ after: user.position }).set(bearer(user)).expect(200);
      await staff.logIn(user.email, user.beak);
    });

    it('answers 400 naming the field for a beak that is not an object', async () => {
      const user = await staff.hire('worker');
      const response = await http().post('/auth/me/beak').set(bearer(user)).send({ oldBeak: user.beak, newBeak: [] }).expect(400);
      expect(response.body.error.details.fields).toHaveProperty('newBeak');
    });
  });

  describe('access tokens', () => {
    it('refuses a token with anything appended or changed, though it would decode to the same signature', async () => {
      const user = await staff.hire('worker');
      await http().get('/auth/me').query({ after: user.position }).set(bearer(user)).expect(200);
      const [header, payload, signature] = user.token.split('.');
      for (const token of [`${user.token}=`, `${user.token}==`, `${user.token}%3D`, `${header}.${payload}.${signature}.`, `${header}.${payload}.${signature.slice(0, -1)}`]) {
        const response = await http().get('/auth/me').set(bearer({ token }));
        expect(response.status).toBe(401);
        expect(response.body.error.code).toBe('UNAUTHENTICATED');
      }
    });
  });

  describe('hostile registrations', () => {
    it.each([
      ['a beak that is an array', { beak: [] }, 'beak'],
      ['a beak that is null', { beak: null }, 'beak'],
      ['an email with a lone surrogate', { email: 'a\ud800b' }, 'email'],
      ['an email with a lone surrogate inside an address', { email: 'a\ud800b@popug.io' }, 'email'],
      ['an email with a NUL', { email: 'a\u0000b@popug.io' }, 'email'],
      ['a name with a NUL', { name: 'a\u0000b' }, 'name'],
      ['a name with a lone surrogate', { name: 'Pip \udc00' }, 'name'],
      ['a blank name', { name: '   ' }, 'name'],
      ['a name of 201 characters', { name: 'n'.repeat(201) }, 'name'],
    ])('answers 400 VALIDATION_FAILED naming the field for %s, and writes nothing', async (_, override, field) => {
      const body = { name: 'Pip', email: `${randomUUID()}@popug.io`, beak: uniqueBeak(), ...override };
      const response = await http().post('/auth/register').send(body);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(response.body.error.details.fields).toHaveProperty(field);
      expect(await platform.app.get<EventStore>(EVENT_STORE).readStream(`user-${userIdForEmail(body.email)}`)).toEqual([]);
    });

    it('stores a name trimmed', async () => {
      const email = `${randomUUID()}@popug.io`;
      const registered = await http().post('/auth/register').send({ name: '  Pip  ', email, beak: uniqueBeak() }).expect(201);
      const [event] = await platform.app.get<EventStore>(EVENT_STORE).readStream(`user-${registered.body.userId}`);
      expect((event.data as { name: string }).name).toBe('Pip');
    });
  });
});

/** The last active admin cannot be demoted or deactivated, however the requests race. */
describe('identity: the last admin', () => {
  let platform: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    platform = await startPlatform();
    staff = await Staff.of(platform.http);
  });
  afterAll(() => platform.close());

  const http = () => platform.http;

  async function activeAdmins(by: TestUser, after: string): Promise<string[]> {
    const users = await http().get('/users').query({ after }).set(bearer(by)).expect(200);
    return users.body.filter((u: { role: string; active: boolean }) => u.role === 'admin' && u.active).map((u: { userId: string }) => u.userId);
  }

  it('the only admin can neither be demoted nor deactivated: 409 LAST_ADMIN', async () => {
    const root = staff.admin;
    const demote = await http().patch(`/auth/users/${root.userId}/role`).set(bearer(root)).send({ role: 'manager' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('LAST_ADMIN');
    const deactivate = await http().post(`/auth/users/${root.userId}/deactivate`).set(bearer(root));
    expect(deactivate.status).toBe(409);
    expect(deactivate.body.error.code).toBe('LAST_ADMIN');
    await http().get('/users').set(bearer(root)).expect(200);
  });

  it('a second admin can be demoted while the first stays', async () => {
    const root = staff.admin;
    const second = await staff.hire('admin');
    await http().patch(`/auth/users/${second.userId}/role`).set(bearer(root)).send({ role: 'worker' }).expect(200);
    const again = await http().patch(`/auth/users/${root.userId}/role`).set(bearer(root)).send({ role: 'worker' });
    expect(again.body.error.code).toBe('LAST_ADMIN');
  });

  it('of two admins demoting or deactivating each other at the same time, exactly one succeeds, round after round', async () => {
    let survivor: TestUser = staff.admin;
    for (let round = 0; round < 6; round++) {
      const rival = await staff.as(survivor).hire('admin');
      const act = (by: TestUser, target: TestUser) =>
        round % 2 === 0
          ? http().patch(`/auth/users/${target.userId}/role`).set(bearer(by)).send({ role: 'worker' })
          : http().post(`/auth/users/${target.userId}/deactivate`).set(bearer(by));
      const [byRival, bySurvivor] = await Promise.all([act(rival, survivor), act(survivor, rival)]);
      const statuses = [byRival.status, bySurvivor.status];
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      for (const loser of [byRival, bySurvivor].filter((r) => r.status !== 200)) {
        expect([403, 409]).toContain(loser.status);
        if (loser.status === 409) expect(loser.body.error.code).toBe('LAST_ADMIN');
      }
      const winner = byRival.status === 200 ? byRival : bySurvivor;
      survivor = byRival.status === 200 ? rival : survivor;
      expect(await activeAdmins(survivor, winner.body.position)).toEqual([survivor.userId]);
    }
  });
});
