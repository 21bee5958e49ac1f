import { SubgraphError, toSubgraphError, type UpstreamIdentity } from '../errors.js';

/**
 * How many re-asks one loader may spend within one request to isolate the keys an upstream
 * refused a whole call for (bisection halves, or the rest after a blame), given the calls the
 * request needed anyway (ceil(N / maxBatchSize) per group, summed over its batches).
 *
 * 16 is what isolating one refused key among 100 (CodeBuild's maximum, the largest) costs at
 * worst: 2 calls per level of a ceil(log2(100)) = 7-level bisection, 14 re-asks. Twice the
 * initial calls lets a large request isolate about one refused key per call (a blame costs one
 * re-ask, a bisection about two per level). So a request of N keys costs at most
 * 3 × ceil(N / max) + 16 calls, however many of its keys are refused: 1000 build ids at most
 * 46 calls (not 2000), 1000 findings at most 136 (not 1000).
 */
export const isolationAllowance = (initialCalls: number): number => 2 * initialCalls + 16;

/** One loader's count for one request: the loader is made per request, and so is this. */
export class IsolationBudget {
  private initialCalls = 0;
  private reasks = 0;

  /** The calls a batch needs anyway; they raise the allowance. */
  addInitial(calls: number): void {
    this.initialCalls += calls;
  }

  /** Takes one re-ask, or says there is none left. */
  take(): boolean {
    if (this.reasks >= isolationAllowance(this.initialCalls)) return false;
    this.reasks += 1;
    return true;
  }
}

/**
 * The answer for a key still in a refused call once the budget is spent: the code the refusal
 * maps to (BAD_USER_INPUT, NOT_FOUND, as for an isolated key), saying that the key itself may be
 * fine and how to learn its own answer.
 */
export function refusedTogether(error: unknown, upstream: UpstreamIdentity, subject: string): SubgraphError {
  const mapped = toSubgraphError(error, upstream, subject);
  const upstreamCode = mapped.extensions.upstreamCode as string | undefined;
  return mapped.forKey(
    `${upstream.label} refused a call holding ${subject} together with other invalid keys${upstreamCode ? ` (${upstreamCode})` : ''}; ` +
      `this request's allowance of calls to isolate them is spent, so it was not asked alone. Ask for it alone (or with fewer invalid keys) for its own answer.`,
  );
}
