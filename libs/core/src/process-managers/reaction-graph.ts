/** Anything that reads the log: a projection or a process manager, by the event types it takes. */
export interface LogReaderNode {
  readonly name: string;
  readonly eventTypes: readonly string[];
}

/** A process manager as the graph sees it: what it takes and what its commands write. */
export interface ReactionNode extends LogReaderNode {
  readonly emits?: readonly string[];
}

/**
 * Which process managers feed which read models, derived from the declarations of both: a process
 * manager feeds every reader (projection or process manager) that takes one of the event types it
 * `emits`. So "pricing feeds accounts" is never written down twice: it follows from what pricing
 * writes and what accounts reads.
 *
 * A reaction fed by its own writes (a workflow reacting to its own timers) is not its own
 * upstream; a longer cycle is broken where it is first met, so waiting through it ends.
 */
export class ReactionGraph {
  static readonly empty = new ReactionGraph([], []);

  private readonly readers = new Map<string, LogReaderNode>();

  /** `reactions`: the process managers; `readers`: the projections, so they can be named. */
  constructor(
    private readonly reactions: readonly ReactionNode[],
    readers: readonly LogReaderNode[],
  ) {
    const names = new Set<string>();
    for (const reaction of reactions) {
      if (names.has(reaction.name)) throw new Error(`Two process managers are named ${reaction.name}`);
      names.add(reaction.name);
    }
    for (const reader of readers) this.readers.set(reader.name, reader);
  }

  /** The event types a projection or process manager of the graph takes; undefined for one it does not know. */
  eventTypesOf(name: string): readonly string[] | undefined {
    return (this.readers.get(name) ?? this.reactions.find((reaction) => reaction.name === name))?.eventTypes;
  }

  /** The process managers whose writes `reader` takes. */
  feedersOf(reader: LogReaderNode): ReactionNode[] {
    const takes = new Set(reader.eventTypes);
    return this.reactions.filter((reaction) => reaction.name !== reader.name && (reaction.emits ?? []).some((type) => takes.has(type)));
  }

  /**
   * Every process manager upstream of `readers` (their feeders, the feeders' feeders, ...), in
   * layers: each process manager comes after every feeder of its own. Waiting layer by layer, each
   * layer for the positions the layers before it wrote, reaches everything upstream wrote.
   */
  upstreamOf(readers: readonly (LogReaderNode | string)[]): string[][] {
    const depth = new Map<string, number>();
    const visiting = new Set<string>();
    const visit = (reaction: ReactionNode): number => {
      const known = depth.get(reaction.name);
      if (known !== undefined) return known;
      // A cycle: this edge is where it is broken.
      if (visiting.has(reaction.name)) return -1;
      visiting.add(reaction.name);
      const below = this.feedersOf(reaction).map(visit);
      visiting.delete(reaction.name);
      const own = Math.max(-1, ...below) + 1;
      depth.set(reaction.name, own);
      return own;
    };
    for (const reader of readers) {
      // A projection known only by its name is looked up; an unknown one has no feeders.
      const node = typeof reader === 'string' ? this.readers.get(reader) : reader;
      if (node) for (const feeder of this.feedersOf(node)) visit(feeder);
    }
    const layers: string[][] = [];
    for (const [name, level] of depth) (layers[level] ??= []).push(name);
    return layers.filter((layer) => layer !== undefined).map((layer) => layer.sort());
  }
}
