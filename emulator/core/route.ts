import type { IncomingMessage } from 'node:http';
import type { UpstreamName } from '../../src/errors.js';

/**
 * The contract between the emulator's server and the API it imitates. It sits apart from the
 * server so that fault injection, wire helpers and the routes depend on it, never on each other.
 */
export interface EmulatorRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
  /** The emulator's clock when the request arrived (see EmulatorClock): signatures are checked against it. */
  now?: Date;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** What a route records of a call it answered: the ids it was asked for and where from. */
export interface CallDetails {
  operation: string;
  keys: readonly string[];
  /** The region of the SigV4 credential scope, for AWS routes. */
  region?: string | undefined;
}

export interface RouteResult {
  response: EmulatorResponse;
  call: CallDetails;
}

export interface EmulatorRoute {
  readonly api: UpstreamName;
  matches(request: EmulatorRequest): boolean;
  handle(request: EmulatorRequest): Promise<RouteResult> | RouteResult;
  /**
   * What a request asks for (operation, ids), read without answering it: lets a call answered
   * by fault injection be logged like any other.
   */
  describe(request: EmulatorRequest): CallDetails;
  /** How this API says "slow down" and "I failed", for fault injection. */
  throttled(): EmulatorResponse;
  internalError(): EmulatorResponse;
}

/**
 * What every upstream's route factory returns: the route, and the knobs a test may turn on that
 * API beyond fault injection (Advalidation's per-IP allowance; nothing for the others).
 */
export interface EmulatedApi<Controls = Record<never, never>> {
  readonly route: EmulatorRoute;
  readonly controls: Controls;
}
