/**
 * The shape of an Advalidation scan id, checked before any lookup: a root field's argument, a nested lookup and
 * an `_entities` representation all pass here (through the loader's `validate` and the module's
 * `entities`), so a key that cannot exist never costs an upstream call, and a message never
 * quotes more than MAX_QUOTED_CHARS of it. Bounds come from the API model where it has them
 * and are stated where it does not.
 */
import { badUserInput, quote, type SubgraphError } from '../../errors.js';
import { ADVALIDATION } from './model.js';

/** Advalidation's scan ids are positive integers (16 digits stay near a safe integer). */
const SCAN_ID = /^[1-9]\d{0,15}$/;

export const isScanId = (id: unknown): id is string => typeof id === 'string' && SCAN_ID.test(id);

export function scanIdProblem(id: unknown): SubgraphError | undefined {
  if (isScanId(id)) return undefined;
  return badUserInput(
    `${typeof id === 'string' ? quote(id) : 'The value'} is not an Advalidation scan id (a positive integer).`,
    ADVALIDATION,
  );
}
