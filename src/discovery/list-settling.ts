/**
 * The request's list calls in flight, so the entities of several lists are looked up together.
 * The lists of 20 projects answer at 20 different moments; loaded as each answers, their builds
 * would go out in up to 20 BatchGetBuilds. A node that waits for afterListCalls() instead is
 * loaded once no list call of the request is in flight (and one more turn of the event loop, for
 * lists just starting), in the same turn as every other waiting node: one loader batch.
 * listConnection tracks every list call here; a module's `node` opts in by waiting.
 */
import type { BaseRequestContext } from '../request-context.js';

/** The list calls one request has in flight, and who waits for them to end. */
class ListSettling {
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  private scheduled = false;

  track<T>(call: Promise<T>): Promise<T> {
    this.inFlight += 1;
    const done = () => {
      this.inFlight -= 1;
      this.schedule();
    };
    call.then(done, done);
    return call;
  }

  /** Resolves once no list call of the request is in flight. */
  settled(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight > 0 || this.waiters.length === 0) return;
    this.scheduled = true;
    // setImmediate: after the microtasks in which answered lists hand out their nodes and nested lists start.
    setImmediate(() => {
      this.scheduled = false;
      if (this.inFlight > 0) return;
      const waiting = this.waiters;
      this.waiters = [];
      for (const resolve of waiting) resolve();
    });
  }
}

const settlings = new WeakMap<object, Map<string, ListSettling>>();

/** Per request (keyed by its page memo, which lives exactly as long as the request) and per upstream: one upstream's slow list never holds another's nodes. */
function settlingOf(context: BaseRequestContext, upstream: string): ListSettling {
  let byUpstream = settlings.get(context.listPages);
  if (!byUpstream) {
    byUpstream = new Map();
    settlings.set(context.listPages, byUpstream);
  }
  let settling = byUpstream.get(upstream);
  if (!settling) {
    settling = new ListSettling();
    byUpstream.set(upstream, settling);
  }
  return settling;
}

/** Marks one list call of the request as in flight until it settles (listConnection calls it for every page it fetches). */
export function trackListCall<T>(context: BaseRequestContext, upstream: string, call: Promise<T>): Promise<T> {
  return settlingOf(context, upstream).track(call);
}

/** Resolves once the request has no list call of `upstream` in flight. */
export function afterListCalls(context: BaseRequestContext, upstream: string): Promise<void> {
  return settlingOf(context, upstream).settled();
}
