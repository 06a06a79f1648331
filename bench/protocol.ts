/**
 * What the benchmark's parent process and its two contender processes say to each other.
 *
 * Each event store runs in a child process of its own: Emmett's driver (dumbo) replaces the global
 * `pg` type parsers when it loads (json, jsonb and bigint columns), which would change how our
 * adapter decodes rows if both lived in one process. Separate processes also keep one store's
 * garbage and JIT state out of the other's timings, and let the parent interleave the two stores
 * scenario by scenario, so background load on the machine hits both alike.
 */

export type ContenderName = 'ours' | 'emmett';

export type Scenario =
  /** `events` events in appends of `batchSize`, each append to a new stream, `writers` at a time. */
  | { kind: 'append'; writers: number; events: number; batchSize: number }
  /** The whole global log, page by page, from the start to the end. */
  | { kind: 'readAll'; pageSize: number }
  /** A subscriber from the start of the log until it has caught up with the end. */
  | { kind: 'catchUp'; batchSize: number };

export type ParentMessage = { type: 'run'; scenario: Scenario } | { type: 'close' };

export type ChildMessage =
  /** `api` says which library calls the contender makes, for the report. */
  | { type: 'ready'; api: ContenderApi }
  /**
   * `events` is how many events the scenario wrote or delivered, `distinct` how many different ones
   * (a reader that pages badly delivers some twice); the parent checks both against the log.
   * `cpuMilliseconds` is the CPU time the contender's own process spent, not the server's.
   */
  | { type: 'result'; events: number; distinct: number; milliseconds: number; cpuMilliseconds: number }
  | { type: 'error'; message: string };

export interface ContenderApi {
  append: string;
  readAll: string;
  catchUp: string;
  pool: string;
}
