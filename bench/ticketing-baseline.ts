import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool, type PoolClient } from 'pg';

/**
 * The lock-based design most ticketing systems use, as the anchor of `npm run bench:ticketing`:
 * one row per seat in PostgreSQL, a transaction per reservation that locks the seats it takes
 * (`SELECT ... FOR UPDATE`), served over HTTP by a minimal node:http server, so it is measured
 * through HTTP like the product, on the same PostgreSQL server (a database of its own).
 *
 * The same three endpoints and bodies as TicketSafe's (the benchmark's load is the same for both):
 * - POST /ticketing/shows `{ title, venue, startsAt, holdSeconds?, sections: [{ name, price, rows: [{ name, seats }] }] }`
 *   → 201 `{ showId, seats }`: the show and one row per seat.
 * - POST /ticketing/shows/:showId/reservations, `Authorization: Bearer <customer id>`:
 *   - `{ seats: [seatId] }`: BEGIN; `SELECT ... FOR UPDATE` the requested seat rows (in seat id
 *     order, so two reservations never deadlock); any of them not available → ROLLBACK, 409
 *     `TICKETING_SEATS_UNAVAILABLE`; otherwise mark them held, insert the reservation, COMMIT, 201.
 *   - `{ section, quantity }` (best available): BEGIN; the first `quantity` available seats of the
 *     section from the front, `FOR UPDATE SKIP LOCKED` (seats another reservation is taking are
 *     passed over, not waited for); fewer → ROLLBACK, 409; otherwise as above.
 * - POST /reservations/:reservationId/confirm `{ paymentToken }`, header `Idempotency-Key` (required):
 *   BEGIN; lock the reservation row; the key seen already → the same answer; a hold of another
 *   customer → 404; past `expiresAt` → 409; otherwise record the (simulated) payment under the key,
 *   mark the seats sold and the reservation confirmed, COMMIT, 200.
 *
 * What it does not do, and the product does: authentication (the bearer token is the customer's
 * id, taken as it is), request validation beyond what the SQL needs, a log line per request, the
 * events and the read models the product's worker keeps, adjacent seats for best-available, and
 * expiry (a hold past `expiresAt` is only refused at confirmation; no hold of the run expires).
 *
 * Run as a child process (`startBaseline`): `node dist/bench/ticketing-baseline.js` with
 * DATABASE_URL, BASELINE_POOL_SIZE; it creates its schema, listens on a free port and sends
 * `{ port }` to its parent.
 */
export const BASELINE_SCHEMA = `
create table if not exists bl_shows (
  show_id uuid primary key,
  title text not null,
  venue text not null,
  starts_at timestamptz not null,
  hold_seconds integer not null
);
create table if not exists bl_sections (
  show_id uuid not null references bl_shows,
  name text not null,
  price_cents bigint not null,
  primary key (show_id, name)
);
create table if not exists bl_seats (
  show_id uuid not null,
  seat_id text not null,
  section text not null,
  row_index integer not null,
  number integer not null,
  status text not null default 'available' check (status in ('available', 'held', 'sold')),
  reservation_id uuid,
  primary key (show_id, seat_id)
);
-- Best available: the free seats of a section from the front, without reading the taken ones.
create index if not exists bl_seats_free on bl_seats (show_id, section, row_index, number) where status = 'available';
create table if not exists bl_reservations (
  reservation_id uuid primary key,
  show_id uuid not null,
  customer_id text not null,
  seats text[] not null,
  total_cents bigint not null,
  status text not null check (status in ('held', 'confirmed')),
  expires_at timestamptz not null,
  payment_id uuid,
  created_at timestamptz not null default now()
);
create table if not exists bl_payments (
  idempotency_key text primary key,
  reservation_id uuid not null,
  payment_id uuid not null,
  amount_cents bigint not null,
  charged_at timestamptz not null default now()
);
`;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

interface ReservationRow {
  reservation_id: string;
  show_id: string;
  customer_id: string;
  seats: string[];
  total_cents: string;
  status: string;
  expires_at: Date;
  payment_id: string | null;
}

function reservationView(row: ReservationRow): Record<string, unknown> {
  const cents = BigInt(row.total_cents);
  return {
    reservationId: row.reservation_id,
    showId: row.show_id,
    seats: row.seats,
    total: `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`,
    status: row.status,
    expiresAt: row.expires_at.toISOString(),
    paymentId: row.payment_id,
  };
}

function priceCents(price: unknown): number {
  if (typeof price !== 'string' || !/^\d{1,6}(\.\d{1,2})?$/.test(price)) throw new HttpError(400, 'VALIDATION_FAILED', 'price must be a decimal string');
  const [whole, fraction = ''] = price.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class BaselineService {
  constructor(private readonly pool: Pool) {}

  async createShow(body: any): Promise<{ showId: string; seats: number }> {
    const sections = Array.isArray(body?.sections) ? body.sections : [];
    if (sections.length === 0) throw new HttpError(400, 'VALIDATION_FAILED', 'sections are required');
    const showId = randomUUID();
    const seatIds: string[] = [];
    const seatSections: string[] = [];
    const rowIndexes: number[] = [];
    const numbers: number[] = [];
    for (const section of sections) {
      section.rows.forEach((row: { name: string; seats: number }, r: number) => {
        for (let n = 1; n <= row.seats; n++) {
          seatIds.push(`${section.name}-${row.name}-${n}`);
          seatSections.push(section.name);
          rowIndexes.push(r);
          numbers.push(n);
        }
      });
    }
    await this.transaction(async (client) => {
      await client.query('insert into bl_shows values ($1, $2, $3, $4, $5)', [showId, body.title, body.venue, body.startsAt, body.holdSeconds ?? 600]);
      await client.query('insert into bl_sections select $1, * from unnest($2::text[], $3::bigint[])', [
        showId,
        sections.map((s: { name: string }) => s.name),
        sections.map((s: { price: unknown }) => priceCents(s.price)),
      ]);
      await client.query(`insert into bl_seats (show_id, seat_id, section, row_index, number) select $1, * from unnest($2::text[], $3::text[], $4::int[], $5::int[])`, [
        showId,
        seatIds,
        seatSections,
        rowIndexes,
        numbers,
      ]);
    });
    return { showId, seats: seatIds.length };
  }

  async reserve(showId: string, customerId: string, body: any): Promise<Record<string, unknown>> {
    if (!UUID.test(showId)) throw new HttpError(404, 'NOT_FOUND', `Show ${showId} not found`);
    const bySeats = Array.isArray(body?.seats);
    const bySection = typeof body?.section === 'string' && Number.isInteger(body?.quantity);
    if (bySeats === bySection) throw new HttpError(400, 'VALIDATION_FAILED', 'Send either { seats } or { section, quantity }');
    const count = bySeats ? body.seats.length : body.quantity;
    if (count < 1 || count > 10) throw new HttpError(422, 'TICKETING_TOO_MANY_SEATS', 'At most 10 seats in one reservation');
    return this.transaction(async (client) => {
      const show = await client.query<{ hold_seconds: number }>('select hold_seconds from bl_shows where show_id = $1', [showId]);
      if (show.rowCount === 0) throw new HttpError(404, 'NOT_FOUND', `Show ${showId} not found`);
      let seats: { seat_id: string; price_cents: string }[];
      if (bySeats) {
        const locked = await client.query<{ seat_id: string; status: string; price_cents: string }>(
          `select s.seat_id, s.status, c.price_cents from bl_seats s join bl_sections c on c.show_id = s.show_id and c.name = s.section
            where s.show_id = $1 and s.seat_id = any($2::text[]) order by s.seat_id for update of s`,
          [showId, body.seats],
        );
        if (locked.rowCount !== new Set(body.seats).size) throw new HttpError(422, 'TICKETING_UNKNOWN_SEAT', 'No such seat');
        const taken = locked.rows.filter((row) => row.status !== 'available').map((row) => row.seat_id);
        if (taken.length > 0) throw new HttpError(409, 'TICKETING_SEATS_UNAVAILABLE', 'Seats are held or sold', { seats: taken });
        seats = locked.rows;
      } else {
        const locked = await client.query<{ seat_id: string; price_cents: string }>(
          `select s.seat_id, c.price_cents from bl_seats s join bl_sections c on c.show_id = s.show_id and c.name = s.section
            where s.show_id = $1 and s.section = $2 and s.status = 'available'
            order by s.row_index, s.number limit $3 for update of s skip locked`,
          [showId, body.section, body.quantity],
        );
        if (locked.rowCount! < body.quantity) throw new HttpError(409, 'TICKETING_SEATS_UNAVAILABLE', 'Too few free seats in the section', { seats: [] });
        seats = locked.rows;
      }
      const reservationId = randomUUID();
      const ids = seats.map((seat) => seat.seat_id);
      const total = seats.reduce((sum, seat) => sum + BigInt(seat.price_cents), 0n);
      const { rows } = await client.query<ReservationRow>(
        `with held as (update bl_seats set status = 'held', reservation_id = $1 where show_id = $2 and seat_id = any($3::text[]))
         insert into bl_reservations (reservation_id, show_id, customer_id, seats, total_cents, status, expires_at)
         values ($1, $2, $4, $3, $5, 'held', now() + make_interval(secs => $6)) returning *`,
        [reservationId, showId, ids, customerId, total.toString(), show.rows[0].hold_seconds],
      );
      return reservationView(rows[0]);
    });
  }

  async confirm(reservationId: string, customerId: string, key: string | undefined, body: any): Promise<Record<string, unknown>> {
    if (!key) throw new HttpError(400, 'IDEMPOTENCY_KEY_REQUIRED', 'Idempotency-Key is required');
    if (typeof body?.paymentToken !== 'string') throw new HttpError(400, 'VALIDATION_FAILED', 'paymentToken is required');
    if (!UUID.test(reservationId)) throw new HttpError(404, 'NOT_FOUND', `Reservation ${reservationId} not found`);
    return this.transaction(async (client) => {
      const found = await client.query<ReservationRow>('select * from bl_reservations where reservation_id = $1 for update', [reservationId]);
      const reservation = found.rows[0];
      if (!reservation || reservation.customer_id !== customerId) throw new HttpError(404, 'NOT_FOUND', `Reservation ${reservationId} not found`);
      const paid = await client.query('select 1 from bl_payments where idempotency_key = $1', [`${reservationId}/${key}`]);
      if (paid.rowCount! > 0 || reservation.status === 'confirmed') return reservationView(reservation);
      if (reservation.expires_at.getTime() <= Date.now()) throw new HttpError(409, 'TICKETING_RESERVATION_EXPIRED', 'The hold ran out');
      const paymentId = randomUUID();
      // The seats in seat id order, as reservations lock them: a confirmation never deadlocks with one.
      await client.query('select 1 from bl_seats where show_id = $1 and seat_id = any($2::text[]) order by seat_id for update', [reservation.show_id, reservation.seats]);
      const { rows } = await client.query<ReservationRow>(
        `with payment as (insert into bl_payments (idempotency_key, reservation_id, payment_id, amount_cents) values ($1, $2, $3, $4)),
              sold as (update bl_seats set status = 'sold' where show_id = $5 and seat_id = any($6::text[]) and reservation_id = $2)
         update bl_reservations set status = 'confirmed', payment_id = $3 where reservation_id = $2 returning *`,
        [`${reservationId}/${key}`, reservationId, paymentId, reservation.total_cents, reservation.show_id, reservation.seats],
      );
      return reservationView(rows[0]);
    });
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      try {
        const result = await work(client);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    } finally {
      client.release();
    }
  }
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text.length > 0 ? JSON.parse(text) : undefined);
      } catch {
        reject(new HttpError(400, 'VALIDATION_FAILED', 'The body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

const SHOWS = /^\/ticketing\/shows\/?$/;
const RESERVE = /^\/ticketing\/shows\/([^/]+)\/reservations\/?$/;
const CONFIRM = /^\/ticketing\/reservations\/([^/]+)\/confirm\/?$/;

export function handler(service: BaselineService) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const body = await readBody(req);
      const path = (req.url ?? '/').split('?')[0];
      const customer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (req.method === 'GET' && path === '/health') return send(res, 200, { status: 'ok' });
      if (req.method !== 'POST') throw new HttpError(404, 'NOT_FOUND', 'No such route');
      if (!customer) throw new HttpError(401, 'UNAUTHENTICATED', 'A bearer token is required');
      if (SHOWS.test(path)) return send(res, 201, await service.createShow(body));
      let match = RESERVE.exec(path);
      if (match) return send(res, 201, await service.reserve(match[1], customer, body));
      match = CONFIRM.exec(path);
      const key = req.headers['idempotency-key'];
      if (match) return send(res, 200, await service.confirm(match[1], customer, typeof key === 'string' ? key : undefined, body));
      throw new HttpError(404, 'NOT_FOUND', 'No such route');
    } catch (error) {
      if (error instanceof HttpError) return send(res, error.status, { error: { code: error.code, message: error.message, details: error.details } });
      send(res, 500, { error: { code: 'INTERNAL', message: (error as Error).message, details: null } });
    }
  };
}

export interface RunningBaseline {
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts the baseline server as a child process of its own on `databaseUrl` (an empty database), and waits until it listens. */
export function startBaseline(databaseUrl: string, poolSize: number): Promise<RunningBaseline> {
  const child: ChildProcess = fork(__filename, [], { env: { ...process.env, DATABASE_URL: databaseUrl, BASELINE_POOL_SIZE: String(poolSize) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the baseline server did not start within 60 s'));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the baseline server exited with ${code} during start-up`));
    });
    child.once('message', (message: { port: number }) => {
      clearTimeout(timer);
      resolve({
        baseUrl: `http://127.0.0.1:${message.port}`,
        pid: child.pid!,
        async stop() {
          process.off('exit', killOnExit);
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(kill);
        },
      });
    });
  });
}

async function serve(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.BASELINE_POOL_SIZE ?? 20) });
  await pool.query(BASELINE_SCHEMA);
  const server = createServer(handler(new BaselineService(pool)));
  server.keepAliveTimeout = 5000;
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void pool.end().then(() => process.exit(0));
  });
}

if (require.main === module) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
