import type { SeatMapSection } from '../contract/ticketing.events';

/** One row of a show: who holds each seat (a reservation id, held or sold) or null when free, by seat number - 1. */
export interface RowSeats {
  readonly name: string;
  readonly free: number;
  readonly holders: readonly (string | null)[];
}

export interface SectionSeats {
  readonly name: string;
  readonly priceCents: number;
  readonly free: number;
  readonly rows: readonly RowSeats[];
}

/** Where a seat is: indexes into the sections, their rows and the row's seats. */
export interface SeatAt {
  section: number;
  row: number;
  seat: number;
}

export const MAX_SEATS_PER_RESERVATION = 10;

export function seatId(section: string, row: string, number: number): string {
  return `${section}-${row}-${number}`;
}

/** The empty seat map of a show's sections. */
export function emptySeats(sections: readonly SeatMapSection[]): SectionSeats[] {
  return sections.map((section) => {
    const rows = section.rows.map((row) => ({ name: row.name, free: row.seats, holders: new Array<string | null>(row.seats).fill(null) }));
    return { name: section.name, priceCents: section.priceCents, free: rows.reduce((sum, row) => sum + row.free, 0), rows };
  });
}

/** Where `<section>-<row>-<number>` is on the map, or null for a seat it does not have. */
export function locate(sections: readonly SectionSeats[], id: string): SeatAt | null {
  const parts = id.split('-');
  if (parts.length !== 3 || !/^[1-9][0-9]{0,4}$/.test(parts[2])) return null;
  const section = sections.findIndex((s) => s.name === parts[0]);
  if (section < 0) return null;
  const row = sections[section].rows.findIndex((r) => r.name === parts[1]);
  if (row < 0) return null;
  const seat = Number(parts[2]) - 1;
  return seat < sections[section].rows[row].holders.length ? { section, row, seat } : null;
}

export function holderAt(sections: readonly SectionSeats[], at: SeatAt): string | null {
  return sections[at.section].rows[at.row].holders[at.seat];
}

/**
 * The map with these seats given to `holder` (a reservation id) or freed (null). Copies only the
 * rows and sections it touches; the map it was given stays as it was.
 */
export function assignSeats(sections: readonly SectionSeats[], ids: readonly string[], holder: string | null): SectionSeats[] {
  const next = sections.slice();
  const copiedSections = new Set<number>();
  const copiedRows = new Set<string>();
  for (const id of ids) {
    const at = locate(next, id);
    if (!at) continue;
    if (!copiedSections.has(at.section)) {
      next[at.section] = { ...next[at.section], rows: next[at.section].rows.slice() };
      copiedSections.add(at.section);
    }
    const section = next[at.section];
    const rows = section.rows as RowSeats[];
    const rowKey = `${at.section}/${at.row}`;
    if (!copiedRows.has(rowKey)) {
      rows[at.row] = { ...rows[at.row], holders: rows[at.row].holders.slice() };
      copiedRows.add(rowKey);
    }
    const row = rows[at.row];
    const holders = row.holders as (string | null)[];
    const wasFree = holders[at.seat] === null;
    holders[at.seat] = holder;
    const change = wasFree && holder !== null ? -1 : !wasFree && holder === null ? 1 : 0;
    rows[at.row] = { ...row, free: row.free + change };
    next[at.section] = { ...section, free: section.free + change };
  }
  return next;
}

/**
 * The best `quantity` free seats of a section: the first row (from the front) with that many free
 * side by side, the leftmost such run; when no row has them, the first free seats from the front.
 * Null when the section has fewer free seats than that.
 */
export function bestAvailable(section: SectionSeats, quantity: number): string[] | null {
  if (section.free < quantity) return null;
  for (const row of section.rows) {
    if (row.free < quantity) continue;
    let run = 0;
    for (let i = 0; i < row.holders.length; i++) {
      run = row.holders[i] === null ? run + 1 : 0;
      if (run === quantity) return Array.from({ length: quantity }, (_, k) => seatId(section.name, row.name, i - quantity + 2 + k));
    }
  }
  const seats: string[] = [];
  for (const row of section.rows) {
    for (let i = 0; i < row.holders.length && seats.length < quantity; i++) if (row.holders[i] === null) seats.push(seatId(section.name, row.name, i + 1));
    if (seats.length === quantity) break;
  }
  return seats;
}
