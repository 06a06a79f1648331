/** The credential: a beak's geometry. Every measure is a positive number. */
export interface Beak {
  length: number;
  depth: number;
  width: number;
  curvature: number;
}

/**
 * The form a beak is hashed and compared in: each measure rounded to one decimal, in a fixed
 * order, so `12.04` and `12.0` are the same beak and key order in the request does not matter.
 */
export function canonicalBeak(beak: Beak): string {
  return [beak.length, beak.depth, beak.width, beak.curvature].map((measure) => measure.toFixed(1)).join('|');
}

/** Reads a beak from untrusted input (an environment variable, a CLI argument); throws when it is not one. */
export function parseBeak(value: unknown): Beak {
  const candidate = value as Record<string, unknown> | null;
  const measures = ['length', 'depth', 'width', 'curvature'] as const;
  const valid =
    typeof candidate === 'object' &&
    candidate !== null &&
    Object.keys(candidate).length === measures.length &&
    measures.every((m) => typeof candidate[m] === 'number' && Number.isFinite(candidate[m]) && (candidate[m] as number) > 0);
  if (!valid) throw new Error('A beak is { "length", "depth", "width", "curvature" }, each a positive number');
  return { length: candidate.length as number, depth: candidate.depth as number, width: candidate.width as number, curvature: candidate.curvature as number };
}
