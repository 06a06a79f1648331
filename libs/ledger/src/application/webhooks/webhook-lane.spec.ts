import type { DeliveryRow } from '@app/projections/ledger/webhooks/webhooks.queries';
import { type WebhookDispatcher, WebhookLane } from './webhook-dispatcher';

const row = (version: number): DeliveryRow => ({
  delivery_id: 'd-1',
  webhook_id: 'w-1',
  posting_id: 'p-1',
  trace_key: 't-1',
  applied_at: new Date(0),
  status: 'pending',
  attempts: version + 1,
  last_error: null,
  last_attempt_at: null,
  next_attempt_at: new Date(0),
  version,
  position: 'p',
});

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('condition not met');
};

/** A lane against a dispatcher whose read model shows the delivery as `shown()` says, and which records each attempt at the next revision. */
function laneOver(shown: () => DeliveryRow[], caughtUp: () => Promise<void>) {
  const attempts: number[] = [];
  let revision = -1;
  const dispatcher = {
    concurrency: 2,
    target: async () => ({ url: 'http://receiver.test/hook', secret: 's' }),
    // As the database would, each read answers on a later turn of the event loop.
    due: () => new Promise<DeliveryRow[]>((resolve) => setImmediate(() => resolve(shown()))),
    attempt: async (_target: unknown, due: DeliveryRow) => {
      attempts.push(due.version);
      revision += 1;
      return { position: `000${revision}`, revision };
    },
    caughtUp,
    log: () => undefined,
  } as unknown as WebhookDispatcher;
  return { lane: new WebhookLane('w-1', dispatcher), attempts };
}

describe('a webhook lane', () => {
  it('does not send a delivery again while the read model has not caught up with what it recorded, even past the wait for it', async () => {
    // The read model never moves: it keeps showing the delivery pending and due, as before the attempt.
    const { lane, attempts } = laneOver(
      () => [row(-1)],
      () => Promise.reject(new Error('read model lagging')),
    );
    await until(() => attempts.length >= 1);
    // Longer than the lane's pause after a failed round (2 s), so it has looked at the due list again.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await lane.stop();
    expect(attempts).toEqual([-1]);
  });

  it('takes the delivery again once the read model shows what it recorded (its retry is due)', async () => {
    let version = -1;
    const { lane, attempts } = laneOver(
      () => [row(version)],
      async () => {
        version += 1;
      },
    );
    await until(() => attempts.length >= 3);
    await lane.stop();
    expect(attempts.slice(0, 3)).toEqual([-1, 0, 1]);
  });
});
