import { useId } from 'react';
import type { Beak } from '../../session';

export type BeakDraft = Record<keyof Beak, string>;

export const EMPTY_BEAK: BeakDraft = { length: '', depth: '', width: '', curvature: '' };

const PARTS: { key: keyof Beak; label: string }[] = [
  { key: 'length', label: 'Length' },
  { key: 'depth', label: 'Depth' },
  { key: 'width', label: 'Width' },
  { key: 'curvature', label: 'Curvature' },
];

export function beakOf(draft: BeakDraft): Beak {
  return { length: Number(draft.length), depth: Number(draft.depth), width: Number(draft.width), curvature: Number(draft.curvature) };
}

/** The beak is the credential: four positive numbers, compared after rounding to one decimal. */
export function BeakFields({ value, onChange, legend = 'Beak shape' }: { value: BeakDraft; onChange: (beak: BeakDraft) => void; legend?: string }) {
  const id = useId();
  return (
    <fieldset className="beak" aria-describedby={`${id}-explain`}>
      <legend>{legend}</legend>
      <p id={`${id}-explain`} className="hint">
        Your beak is your password. Measure it as four positive numbers: length, depth, width and curvature. They are compared after rounding to one
        decimal, so 21.53 and 21.5 are the same beak.
      </p>
      <div className="beak-grid">
        {PARTS.map(({ key, label }) => (
          <div className="field" key={key}>
            <label htmlFor={`${id}-${key}`}>{label}</label>
            <input
              id={`${id}-${key}`}
              type="number"
              inputMode="decimal"
              step="any"
              min="0"
              required
              value={value[key]}
              onChange={(event) => onChange({ ...value, [key]: event.target.value })}
            />
          </div>
        ))}
      </div>
    </fieldset>
  );
}
