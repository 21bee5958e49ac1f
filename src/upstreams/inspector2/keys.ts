/**
 * The shape of an Inspector finding ARN, checked before any lookup: a root field's argument, a nested lookup and
 * an `_entities` representation all pass here (through the loader's `validate` and the module's
 * `entities`), so a key that cannot exist never costs an upstream call, and a message never
 * quotes more than MAX_QUOTED_CHARS of it. Bounds come from the API model where it has them
 * and are stated where it does not.
 */
import { badUserInput, quote, type SubgraphError } from '../../errors.js';
import { isRealRegionFor } from '../../input/regions.js';
import { INSPECTOR2 } from './model.js';

/** Inspector's FindingArn: length 1..100 and this pattern (the model's own). */
export const MAX_FINDING_ARN_CHARS = 100;
const FINDING_ARN = /^arn:(aws[a-zA-Z-]*)?:inspector2:([a-z]{2}(-gov)?-[a-z]+-\d{1}):\d{12}:finding\/[a-f0-9]{32}$/;

export function findingArnProblem(arn: unknown): SubgraphError | undefined {
  const match = typeof arn === 'string' && arn.length <= MAX_FINDING_ARN_CHARS ? FINDING_ARN.exec(arn) : null;
  if (!match) {
    return badUserInput(
      `${typeof arn === 'string' ? quote(arn) : 'The value'} is not an Inspector finding ARN (arn:aws:inspector2:<region>:<account>:finding/<32 hex>).`,
      INSPECTOR2,
    );
  }
  // The model's pattern admits any `xx-word-9`; only a region of the ARN's own partition is real.
  if (!isRealRegionFor(match[2]!, match[1] ?? '')) {
    return badUserInput(
      `${quote(arn)} names region ${quote(match[2])}, which is not an AWS region of partition ${quote(match[1] ?? '')}.`,
      INSPECTOR2,
    );
  }
  return undefined;
}
