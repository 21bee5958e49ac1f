import DataLoader from 'dataloader';
import { SubgraphError, ErrorCode, toSubgraphError, type UpstreamIdentity, type UpstreamName } from '../errors.js';
import { abandonedByClient, abortReason, raceAbort } from '../reliability/abort.js';
import { failureKindOf, wasSent, type FailureKind } from '../reliability/failure-kinds.js';
import { IsolationBudget, refusedTogether } from './isolation-budget.js';

/**
 * What one upstream must say for the batching mechanism to serve it. The contract, stated once:
 *
 * - `fetch` is called with 1..maxBatchSize distinct keys, all valid and all of one group, and
 *   answers with a map from `cacheKey` of each record it *received* to that record, or to a
 *   per-item error. Keys absent from the map become `notFound(key)`; entries for keys that were
 *   not asked are ignored, so one key can never receive another key's data.
 * - `fetch` throwing fails the keys of that call only (never its neighbours in other calls), and
 *   when `shouldSplit(error)` is true the call is bisected (or `blame`d) until the offending keys
 *   are isolated.
 * - Isolation is bounded: per loader per request, the re-asks beyond the ceil(N / maxBatchSize)
 *   calls the keys need anyway are at most `isolationAllowance` of those calls (2 × them + 16,
 *   see isolation-budget.ts), so refused keys cannot multiply upstream calls. One refused key
 *   among 100 is always isolated. Once the allowance is spent, each key still in a refused call
 *   is answered with that refusal mapped to it (BAD_USER_INPUT, NOT_FOUND, …), in a message
 *   saying it was refused together with other invalid keys and can be asked alone; no key is
 *   ever dropped. A new request starts with a new allowance.
 * - With one key per call (`maxBatchSize` 1) a failure the upstream states about what it was
 *   asked (not found, bad input, no room in the rate limit) is that key's answer: not found is
 *   `notFound(key)`, the others name the key (`describe`), and the call counts as answered.
 * - `validate` runs before any call; a key it rejects is answered with its error and never sent.
 * - All calls of one load run at once (one wave): what bounds calls in flight is each API's
 *   process-wide gate (AWS_MAX_CONCURRENT_CALLS, Advalidation's pacing), never a lower
 *   per-request cap, so a request never waits for its own calls.
 * - A `shareable` source's calls go through the process-wide window (`BatchOptions.shared`,
 *   src/batching/shared-calls.ts) that joins concurrent requests' keys into the fewest calls;
 *   everything above stays per request (cache, results, errors, budget, isolation).
 */
export interface BatchSource<K, V> {
  readonly upstream: UpstreamIdentity;
  /** The API's documented maximum number of ids per call. */
  readonly maxBatchSize: number;
  /** Identity of a key: keys with equal cache keys are asked once per request. */
  cacheKey(key: K): string;
  validate?(key: K): SubgraphError | undefined;
  /** Keys in different groups never share a call (e.g. the region named in an ARN). */
  group?(key: K): string;
  fetch(keys: readonly K[], group: string, signal: AbortSignal): Promise<ReadonlyMap<string, V | SubgraphError>>;
  notFound(key: K): SubgraphError;
  /** True for errors that reject a whole call because of some of its keys (e.g. a failure of kind `bad-input`). */
  shouldSplit?(error: unknown): boolean;
  /**
   * Optional, with `shouldSplit`: the keys of `chunk` such an error names (e.g. the scan of a
   * ResourceNotFoundException, the index in a ValidationException's field list). They get the
   * error and the rest is asked again in one call, instead of bisecting blindly. Anything else
   * (no key named, or every key) falls back to bisection.
   */
  blame?(error: unknown, chunk: readonly K[]): readonly K[];
  /** How to name a key in an error message (e.g. `finding ARN "arn:…"`). */
  describe?(key: K): string;
  /**
   * Optional, with `merge`: distinct keys with equal `coalesceKey` (e.g. one id asked with and
   * without an optional part) are fetched once, as `merge(keys)`, a key whose answer satisfies
   * every one of them; that answer settles them all.
   */
  coalesceKey?(key: K): string;
  merge?(keys: readonly K[]): K;
  /**
   * True when `fetch` depends on its keys and group alone, never on the request (the same
   * process-wide client and identity for every request), so concurrent requests may share its
   * calls. Advalidation's is not: it queues per request and plans against the request's deadline.
   */
  readonly shareable?: boolean;
}

/**
 * Process-wide call sharing (src/batching/shared-calls.ts implements it): answers what
 * `source.fetch(keys, group, signal)` would, from calls shared with other requests.
 */
export interface CallSharing {
  fetch<K, V>(
    source: BatchSource<K, V>,
    keys: readonly K[],
    group: string,
    signal: AbortSignal,
  ): Promise<ReadonlyMap<string, V | SubgraphError>>;
}

export interface BatchOptions {
  /** Aborts every call still running or waiting when the request's time budget runs out. */
  signal: AbortSignal;
  /** The process-wide window shareable sources' calls go through; undefined: BATCH_SHARING=off, every call is the request's own. */
  shared?: CallSharing;
  /** Told about each upstream call, for logs and metrics. */
  onCall?: (event: BatchCallEvent) => void;
  /** Wraps each upstream call (a tracing span, src/observability/tracing.ts); undefined when the request is not traced. */
  traceCall?: (call: CallTraceStart) => CallTrace | undefined;
}

export type CallTraceStart = Pick<BatchCallEvent, 'upstream' | 'group' | 'size' | 'maxBatchSize'>;

/** One traced call: `run` runs the source's fetch (so the client's own span nests under it), `end` gets the call's event. */
export interface CallTrace {
  run<T>(fetch: () => T): T;
  end(event: BatchCallEvent): void;
}

export interface BatchCallEvent {
  upstream: UpstreamName;
  group: string;
  size: number;
  maxBatchSize: number;
  durationMs: number;
  /** `CLIENT_CLOSED`: cut because the clients of the requests waiting for it went away (no verdict on the upstream). */
  outcome: 'ok' | ErrorCode | 'CLIENT_CLOSED';
  /**
   * False when no request went out (an open circuit, a rate deferral): the event still ends the
   * call's span and tells the request's log why its keys failed, but is never counted as a call.
   */
  sent: boolean;
  /**
   * True when this request's keys went through the shared window: the event is this request's
   * view of a call (its keys, its wait), and the call itself, possibly carrying other requests'
   * keys too, is reported once by the window (process metrics count calls, not participants).
   */
  shared: boolean;
}

const DEFAULT_GROUP = '';

/** Failures that, with one key per call, are about that key rather than the upstream. */
const KEY_ANSWERS: ReadonlySet<FailureKind | undefined> = new Set(['not-found', 'bad-input', 'rate-deferred']);

function assertPositiveInteger(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`${what} must be a positive integer, got ${String(value)}.`);
  }
}

/**
 * The one batching mechanism of the subgraph: a DataLoader (created per request, never shared)
 * whose batch function validates, de-duplicates, groups, chunks to the API limit and runs the
 * chunks at once, then maps every record and per-item error back to its key.
 * N distinct valid keys of one group cost exactly ceil(N / maxBatchSize) calls.
 */
export function createBatchLoader<K, V>(source: BatchSource<K, V>, options: BatchOptions): DataLoader<K, V, string> {
  assertPositiveInteger(source.maxBatchSize, `${source.upstream.name}: maxBatchSize`);
  if (typeof source.fetch !== 'function' || typeof source.cacheKey !== 'function') {
    throw new TypeError(`${source.upstream.name}: a batch source needs fetch and cacheKey functions.`);
  }
  const budget = new IsolationBudget();
  const batch = (keys: readonly K[]) => loadBatch(source, options, budget, keys);
  return new DataLoader<K, V, string>(batch, { cacheKeyFn: (key) => source.cacheKey(key) });
}

async function loadBatch<K, V>(
  source: BatchSource<K, V>,
  options: BatchOptions,
  budget: IsolationBudget,
  keys: readonly K[],
): Promise<Array<V | Error>> {
  const results = new Array<V | Error>(keys.length);
  // cacheKey -> indices in `keys` (DataLoader already de-duplicates; this keeps the guarantee
  // even if a caller disables its cache).
  const positions = new Map<string, number[]>();
  const groups = new Map<string, K[]>();
  const distinct: K[] = [];

  keys.forEach((key, index) => {
    const invalid = source.validate?.(key);
    if (invalid) {
      results[index] = invalid;
      return;
    }
    const id = source.cacheKey(key);
    const seen = positions.get(id);
    if (seen) {
      seen.push(index);
      return;
    }
    positions.set(id, [index]);
    distinct.push(key);
  });

  for (const key of coalesce(source, distinct, positions)) {
    const group = source.group?.(key) ?? DEFAULT_GROUP;
    let members = groups.get(group);
    if (!members) groups.set(group, (members = []));
    members.push(key);
  }

  const settle = (key: K, value: V | Error) => {
    for (const index of positions.get(source.cacheKey(key)) ?? []) {
      results[index] = value instanceof SubgraphError ? value.forKey() : value;
    }
  };

  const calls: Array<() => Promise<void>> = [];
  const isolation: Isolation = { budget };
  for (const [group, members] of groups) {
    for (let start = 0; start < members.length; start += source.maxBatchSize) {
      const chunk = members.slice(start, start + source.maxBatchSize);
      calls.push(() => runChunk(source, options, isolation, group, chunk, settle));
    }
  }
  budget.addInitial(calls.length);
  // One wave: the API's process-wide gate is what bounds calls in flight.
  await Promise.all(calls.map((call) => call()));
  return results;
}

/**
 * Replaces each set of distinct keys sharing a `coalesceKey` by their `merge`, which then answers
 * for all their positions. Without both hooks, the keys as they are.
 */
function coalesce<K, V>(source: BatchSource<K, V>, distinct: readonly K[], positions: Map<string, number[]>): readonly K[] {
  const { coalesceKey, merge } = source;
  if (!coalesceKey || !merge) return distinct;
  const sets = new Map<string, K[]>();
  for (const key of distinct) {
    const shared = coalesceKey.call(source, key);
    const set = sets.get(shared);
    if (set) set.push(key);
    else sets.set(shared, [key]);
  }
  return [...sets.values()].map((set) => {
    if (set.length === 1) return set[0]!;
    const merged = merge.call(source, set);
    const indices = set.flatMap((key) => positions.get(source.cacheKey(key)) ?? []);
    for (const key of set) positions.delete(source.cacheKey(key));
    positions.set(source.cacheKey(merged), indices);
    return merged;
  });
}

/** The loader's budget, and for a re-ask the error that refused the call it comes from. */
interface Isolation {
  readonly budget: IsolationBudget;
  readonly refusal?: { readonly error: unknown };
}

async function runChunk<K, V>(
  source: BatchSource<K, V>,
  options: BatchOptions,
  isolation: Isolation,
  group: string,
  chunk: readonly K[],
  settle: (key: K, value: V | Error) => void,
): Promise<void> {
  const started = performance.now();
  // Re-asks that isolate refused keys are this request's own business (and its budget's): shared,
  // a bisection's two halves would meet again in one bucket and be refused together once more.
  const shared = source.shareable === true && !isolation.refusal ? options.shared : undefined;
  // Set where the call is certain to be made (below), so the paths that make none start no span.
  let traced: CallTrace | undefined = undefined;
  const report = (outcome: BatchCallEvent['outcome'], sent = true) => {
    if (!options.onCall && !traced) return;
    const event: BatchCallEvent = {
      upstream: source.upstream.name,
      group,
      size: chunk.length,
      maxBatchSize: source.maxBatchSize,
      durationMs: performance.now() - started,
      outcome,
      sent,
      shared: shared !== undefined,
    };
    traced?.end(event);
    options.onCall?.(event);
  };

  if (options.signal.aborted) {
    // The budget ran out before this call (a re-ask after a refusal): do not start it.
    const error = toSubgraphError(abortReason(options.signal), source.upstream, undefined, { signal: options.signal });
    for (const key of chunk) settle(key, error);
    return;
  }

  if (isolation.refusal && !isolation.budget.take()) {
    // No call: these keys were refused together with others and there is no allowance left to tell them apart.
    for (const key of chunk) {
      settle(key, refusedTogether(isolation.refusal.error, source.upstream, source.describe?.(key) ?? 'a key'));
    }
    return;
  }

  let answer: ReadonlyMap<string, V | SubgraphError>;
  // Ended by `report`, which every path below reaches exactly once.
  traced = options.traceCall?.({ upstream: source.upstream.name, group, size: chunk.length, maxBatchSize: source.maxBatchSize });
  try {
    // Clients abort their HTTP requests on the signal, but a retry backoff may still be
    // sleeping: the race guarantees no call outlives the request's budget.
    const fetch = () => (shared ? shared.fetch(source, chunk, group, options.signal) : source.fetch(chunk, group, options.signal));
    const call = traced ? traced.run(fetch) : fetch();
    answer = await raceAbort(call, options.signal);
    if (!(answer instanceof Map)) {
      throw new TypeError(`${source.upstream.name}: fetch must resolve to a Map keyed by cacheKey.`);
    }
  } catch (error) {
    if (source.shouldSplit?.(error) && chunk.length > 1 && !options.signal.aborted) {
      const reask: Isolation = { budget: isolation.budget, refusal: { error } };
      const blamed = new Set(source.blame?.(error, chunk) ?? []);
      const rest = chunk.filter((key) => !blamed.has(key));
      if (blamed.size > 0 && rest.length > 0 && rest.length < chunk.length) {
        report(toSubgraphError(error, source.upstream).code, wasSent(error));
        for (const key of chunk) {
          if (blamed.has(key)) settle(key, toSubgraphError(error, source.upstream, source.describe?.(key)));
        }
        await runChunk(source, options, reask, group, rest, settle);
        return;
      }
      report(toSubgraphError(error, source.upstream).code, wasSent(error));
      const middle = Math.ceil(chunk.length / 2);
      await Promise.all([
        runChunk(source, options, reask, group, chunk.slice(0, middle), settle),
        runChunk(source, options, reask, group, chunk.slice(middle), settle),
      ]);
      return;
    }
    const oneKey = chunk.length === 1 ? chunk[0]! : undefined;
    const keyAnswer = source.maxBatchSize === 1 && !options.signal.aborted && KEY_ANSWERS.has(failureKindOf(error));
    if (oneKey !== undefined && keyAnswer && failureKindOf(error) === 'not-found') {
      report('ok');
      settle(oneKey, source.notFound(oneKey));
      return;
    }
    // A key isolated by bisection (or alone by design) is named in its error, so the caller sees which one was refused.
    const named = oneKey !== undefined && (keyAnswer || source.shouldSplit?.(error)) ? source.describe?.(oneKey) : undefined;
    // The signal tells a budget cut from the upstream's own failure, whatever the error is named.
    const mapped = toSubgraphError(error, source.upstream, named, { signal: options.signal });
    report(abandonedByClient(options.signal) ? 'CLIENT_CLOSED' : keyAnswer ? 'ok' : mapped.code, wasSent(error));
    for (const key of chunk) settle(key, mapped);
    return;
  }
  report('ok');
  for (const key of chunk) {
    settle(key, answer.get(source.cacheKey(key)) ?? source.notFound(key));
  }
}

/**
 * Loads a list for a `[T]!` field. Failed items stay `Error` instances on purpose: graphql-js
 * turns an Error list item into null plus an error at exactly that index, so one bad id never
 * costs its neighbours. The generated resolver types cannot express that, hence the cast.
 */
export function loadEach<K, V>(loader: DataLoader<K, V, string>, keys: readonly K[]): Promise<Array<V | null>> {
  return loader.loadMany(keys) as Promise<Array<V | null>>;
}
