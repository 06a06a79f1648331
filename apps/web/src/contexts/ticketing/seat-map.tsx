import type { SeatStatus, Show } from './types';

/** Each state has a colour, a pattern and a mark, so it never rests on colour alone. */
const MARK: Record<SeatStatus | 'selected', string> = { available: '', selected: '✓', held: 'H', sold: '×' };

const LEGEND: { state: SeatStatus | 'selected'; text: string }[] = [
  { state: 'available', text: 'Available: white, plain' },
  { state: 'selected', text: 'Selected by you: blue, ✓' },
  { state: 'held', text: 'Held by a customer: striped, H' },
  { state: 'sold', text: 'Sold: dark, ×' },
];

export function SeatLegend() {
  return (
    <ul className="ticketing-legend" aria-label="Seat colours">
      {LEGEND.map(({ state, text }) => (
        <li key={state}>
          <span className={`ticketing-seat ticketing-seat-${state} ticketing-swatch`} aria-hidden="true">
            {MARK[state] || '1'}
          </span>
          {text}
        </li>
      ))}
    </ul>
  );
}

/**
 * The seat map, section by section and row by row: each seat a toggle button named by its id,
 * state and price. Held and sold seats stay in the tab order (so their state can be heard) but
 * cannot be selected.
 */
export function SeatMap({ show, selected, onToggle }: { show: Show; selected: readonly string[]; onToggle: (seatId: string) => void }) {
  return (
    <div className="ticketing-map" role="region" aria-label="Seat map" tabIndex={0}>
      {show.sections.map((section) => (
        <div key={section.name} className="ticketing-map-section">
          <h3>
            Section {section.name} <span className="hint">· {section.price} a seat</span>
          </h3>
          {section.rows.map((row) => (
            <div key={row.name} className="ticketing-map-row" role="group" aria-label={`Section ${section.name}, row ${row.name}`}>
              <span className="ticketing-row-name" aria-hidden="true">
                Row {row.name}
              </span>
              <div className="ticketing-seats">
                {row.seats.map((seat) => {
                  const mine = selected.includes(seat.seatId);
                  const state = mine ? 'selected' : seat.status;
                  const free = seat.status === 'available';
                  return (
                    <button
                      key={seat.seatId}
                      type="button"
                      className={`ticketing-seat ticketing-seat-${state}`}
                      aria-pressed={mine}
                      aria-disabled={free ? undefined : true}
                      aria-label={`Seat ${seat.seatId}, ${seat.status}, ${section.price}`}
                      data-status={state}
                      onClick={() => free && onToggle(seat.seatId)}
                    >
                      {seat.seatId.split('-')[2]}
                      {MARK[state] && <span aria-hidden="true">{MARK[state]}</span>}
                    </button>
                  );
                })}
              </div>
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
