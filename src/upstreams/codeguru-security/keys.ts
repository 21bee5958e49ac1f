/**
 * The shape of a CodeGuru Security finding key, checked before any lookup: a root field's argument, a nested lookup and
 * an `_entities` representation all pass here (through the loader's `validate` and the module's
 * `entities`), so a key that cannot exist never costs an upstream call, and a message never
 * quotes more than MAX_QUOTED_CHARS of it. Bounds come from the API model where it has them
 * and are stated where it does not.
 */
import { badUserInput, quote, type SubgraphError } from '../../errors.js';
import { CODEGURU_SECURITY } from './model.js';

/** CodeGuru Security's ScanName shape: 1..140 characters, `^[a-zA-Z0-9-_$:.]*$`. */
const SCAN_NAME = /^[a-zA-Z0-9\-_$:.]{1,140}$/;

/**
 * CodeGuru Security's `findingId` is a plain String in the model (no length, no pattern). The
 * bound here is this subgraph's: 256 characters, no control characters, not blank.
 */
export const MAX_FINDING_ID_CHARS = 256;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A scan name that cannot exist (a finding key's, or a list's argument), or undefined. */
export function scanNameProblem(scanName: unknown): SubgraphError | undefined {
  if (typeof scanName === 'string' && SCAN_NAME.test(scanName)) return undefined;
  return badUserInput(
    `${typeof scanName === 'string' ? `scanName ${quote(scanName)}` : 'scanName'} is not a CodeGuru Security scan name (1-140 characters of a-z, A-Z, 0-9, -, _, $, :, .).`,
    CODEGURU_SECURITY,
  );
}

export function findingKeyProblem(scanName: unknown, findingId: unknown): SubgraphError | undefined {
  const badScan = scanNameProblem(scanName);
  if (badScan) return badScan;
  if (typeof findingId !== 'string' || findingId.trim() === '' || findingId.length > MAX_FINDING_ID_CHARS || CONTROL.test(findingId)) {
    return badUserInput(
      `${typeof findingId === 'string' ? `Finding id ${quote(findingId)}` : 'The finding id'} is not a finding id (a non-blank string of at most ${MAX_FINDING_ID_CHARS} characters, no control characters).`,
      CODEGURU_SECURITY,
    );
  }
  return undefined;
}
