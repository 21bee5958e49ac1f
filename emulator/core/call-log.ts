import type { UpstreamName } from '../../src/errors.js';

/** One request the emulator received, as it saw it on the wire. */
export interface RecordedCall {
  api: UpstreamName;
  operation: string;
  /** The ids the request asked for, in request order. */
  keys: readonly string[];
  /** SigV4 credential-scope region, for AWS APIs. */
  region?: string | undefined;
  status: number;
  /** Answered by fault injection rather than by the API. */
  fault: boolean;
  /** When the request arrived (ms since epoch): rates are measured on arrivals. */
  receivedAt: number;
  /** When it was answered. */
  at: number;
}

/** Everything the emulator received: tests count upstream calls here, never in the client. */
export class CallLog {
  private readonly calls: RecordedCall[];
  /** Off for long load runs, where an ever-growing log would read as a leak of the subgraph. */
  recording = true;

  /** Calls read elsewhere (e.g. from `GET /__emulator/calls` of an emulator in another process), counted the same way. */
  constructor(calls: readonly RecordedCall[] = []) {
    this.calls = [...calls];
  }

  record(call: Omit<RecordedCall, 'at'>): void {
    if (this.recording) this.calls.push({ ...call, at: Date.now() });
  }

  get entries(): readonly RecordedCall[] {
    return this.calls;
  }

  /** Calls to one API, optionally narrowed (e.g. to successful ones or one region). */
  of(api: UpstreamName, filter: (call: RecordedCall) => boolean = () => true): RecordedCall[] {
    return this.calls.filter((call) => call.api === api && filter(call));
  }

  count(api: UpstreamName, filter?: (call: RecordedCall) => boolean): number {
    return this.of(api, filter).length;
  }

  /** Every id the API was asked for, across calls (duplicates kept: a test may look for them). */
  keysAsked(api: UpstreamName): string[] {
    return this.of(api).flatMap((call) => call.keys);
  }

  clear(): void {
    this.calls.length = 0;
  }
}
