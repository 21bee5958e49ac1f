/**
 * Who waits at a Gate: a RequestQueue is one GraphQL request's place (its calls wait there, and
 * the gate serves queues in turn); a Ticket is the set of requests waiting for one call (several
 * when they share it). A call waits in every owner's queue and goes out on the first owner's
 * turn; an owner that cannot be served in time is released and the others keep their places.
 */

/** Calls of one queue as the gate keeps them. */
export interface GateJob {
  readonly ticket: Ticket;
  state: 'waiting' | 'running' | 'done';
  start(): void;
}

export class RequestQueue {
  /** Calls waiting, in order. Calls no longer waiting, or no longer this queue's, are skipped lazily. */
  jobs: GateJob[] = [];
  inRing = false;
  /** When the request's time budget ends (ms since epoch); Infinity when it has none. */
  constructor(readonly deadline: number = Number.POSITIVE_INFINITY) {}
}

type Release = (error: Error) => void;

export class Ticket {
  private readonly owners = new Map<RequestQueue, Release[]>();
  /** Set by the gate while a call of this ticket waits: a request that joins late queues it too. */
  onJoin: ((owner: RequestQueue) => void) | undefined;

  /** A ticket of one owner that is never released (its queue has no deadline). */
  static of(owner: RequestQueue): Ticket {
    const ticket = new Ticket();
    ticket.join(owner, () => undefined);
    return ticket;
  }

  join(owner: RequestQueue, release: Release): void {
    const releases = this.owners.get(owner);
    if (releases) releases.push(release);
    else {
      this.owners.set(owner, [release]);
      this.onJoin?.(owner);
    }
  }

  leave(owner: RequestQueue, release: Release): void {
    const releases = this.owners.get(owner)?.filter((candidate) => candidate !== release);
    if (releases && releases.length > 0) this.owners.set(owner, releases);
    else this.owners.delete(owner);
  }

  has(owner: RequestQueue): boolean {
    return this.owners.has(owner);
  }

  get size(): number {
    return this.owners.size;
  }

  queues(): RequestQueue[] {
    return [...this.owners.keys()];
  }

  /** Answers `owner`'s waiters now with `error`, without this call. */
  release(owner: RequestQueue, error: Error): void {
    const releases = this.owners.get(owner) ?? [];
    this.owners.delete(owner);
    for (const release of releases) release(error);
  }
}

export const isLive = (job: GateJob, queue: RequestQueue): boolean => job.state === 'waiting' && job.ticket.has(queue);
