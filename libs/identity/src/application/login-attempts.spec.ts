import { TooManyAttempts } from '../domain/identity.errors';
import { LoginAttempts } from './login-attempts';

const limits = { maxFailuresPerEmail: 3, maxFailuresPerClient: 5, windowSeconds: 60, maxKeys: 100 };

function attempts(overrides: Partial<typeof limits> = {}) {
  const clock = { now: 1_000_000 };
  return { clock, attempts: new LoginAttempts({ ...limits, ...overrides }, () => clock.now) };
}

function refusal(run: () => unknown): TooManyAttempts {
  try {
    run();
  } catch (error) {
    if (error instanceof TooManyAttempts) return error;
    throw error;
  }
  throw new Error('expected TOO_MANY_ATTEMPTS');
}

describe('login attempts', () => {
  it('refuses an email once it has its limit of failures, saying when to try again', () => {
    const { clock, attempts: limiter } = attempts();
    for (let i = 0; i < 3; i++) limiter.begin('ann@popug.io', '10.0.0.1');
    clock.now += 20_000;
    const refused = refusal(() => limiter.begin('ann@popug.io', '10.0.0.2'));
    expect(refused).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', status: 429, retryAfterSeconds: 40, details: { limitedBy: 'email' } });
    limiter.begin('bob@popug.io', '10.0.0.2');
  });

  it('counts an attempt in progress as failed, so parallel guesses are limited like sequential ones', () => {
    const { attempts: limiter } = attempts();
    const inFlight = [1, 2, 3].map(() => limiter.begin('ann@popug.io', '10.0.0.1'));
    expect(() => limiter.begin('ann@popug.io', '10.0.0.1')).toThrow(TooManyAttempts);
    inFlight[0].succeeded();
    limiter.begin('ann@popug.io', '10.0.0.1');
  });

  it('does not count a success, or an attempt that was never decided', () => {
    const { attempts: limiter } = attempts();
    for (let i = 0; i < 10; i++) limiter.begin('ann@popug.io', '10.0.0.1').succeeded();
    for (let i = 0; i < 10; i++) limiter.begin('bob@popug.io', '10.0.0.1').abandoned();
    limiter.begin('ann@popug.io', '10.0.0.1');
  });

  it('refuses a client address once it has its limit of failures, whatever the email', () => {
    const { attempts: limiter } = attempts();
    for (let i = 0; i < 5; i++) limiter.begin(`user${i}@popug.io`, '10.0.0.1');
    expect(refusal(() => limiter.begin('new@popug.io', '10.0.0.1')).details).toEqual({ limitedBy: 'client', retryAfterSeconds: 60 });
    limiter.begin('new@popug.io', '10.0.0.2');
  });

  it('forgets failures once their window has passed', () => {
    const { clock, attempts: limiter } = attempts();
    for (let i = 0; i < 3; i++) limiter.begin('ann@popug.io', '10.0.0.1');
    clock.now += 60_000;
    limiter.begin('ann@popug.io', '10.0.0.1');
  });

  it('tracks at most maxKeys emails and addresses, forgetting the oldest', () => {
    const { attempts: limiter } = attempts({ maxKeys: 4 });
    for (let i = 0; i < 3; i++) limiter.begin('ann@popug.io', '10.0.0.1');
    for (let i = 0; i < 10; i++) limiter.begin(`user${i}@popug.io`, `10.0.1.${i}`);
    limiter.begin('ann@popug.io', '10.0.0.1');
    expect((limiter as unknown as { counters: Map<string, unknown> }).counters.size).toBeLessThanOrEqual(4);
  });
});
