/**
 * The shape of every entity key, checked before any lookup: a root field's argument, a nested
 * lookup and an `_entities` representation all pass here (through the loaders' `validate`), so
 * a key that cannot exist never costs an upstream call, and a message never quotes more than
 * MAX_QUOTED_CHARS of it. Bounds come from the API models where they have them
 * (the official Smithy models; test/fixtures/aws-models holds their facts) and are stated where they do not.
 */
import { isRealRegionFor } from './regions.js';
import { badUserInput, quote, type SubgraphError } from '../errors.js';
import { CODEBUILD } from '../upstreams/codebuild/model.js';
import { CODEGURU_SECURITY } from '../upstreams/codeguru-security/model.js';
import { INSPECTOR2 } from '../upstreams/inspector2/model.js';
import { ADVALIDATION } from '../upstreams/advalidation/model.js';

/**
 * CodeBuild: `BatchGetBuilds.ids` members are `NonEmptyString` (no maximum in the model). A build
 * id is `<projectName>:<build uuid>` (ProjectName: 2..150 characters) and a build ARN
 * `arn:<partition>:codebuild:<region>:<account>:build/<id>`: both hold a `:`, both fit in 256
 * printable ASCII characters without spaces. Anything longer or otherwise cannot name a build.
 */
export const MAX_BUILD_ID_CHARS = 256;
const BUILD_ID = /^[\x21-\x7e]*:[\x21-\x7e]*$/;

export function buildIdProblem(id: unknown): SubgraphError | undefined {
  if (typeof id === 'string' && id.length <= MAX_BUILD_ID_CHARS && BUILD_ID.test(id)) return undefined;
  return badUserInput(
    `${typeof id === 'string' ? `Build id ${quote(id)}` : 'The build id'} is not a CodeBuild build id ("<project>:<build id>", at most ${MAX_BUILD_ID_CHARS} printable characters without spaces).`,
    CODEBUILD,
  );
}

/** CodeGuru Security's ScanName shape: 1..140 characters, `^[a-zA-Z0-9-_$:.]*$`. */
const SCAN_NAME = /^[a-zA-Z0-9\-_$:.]{1,140}$/;

/**
 * CodeGuru Security's `findingId` is a plain String in the model (no length, no pattern). The
 * bound here is this subgraph's: 256 characters, no control characters, not blank.
 */
export const MAX_FINDING_ID_CHARS = 256;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function findingKeyProblem(scanName: unknown, findingId: unknown): SubgraphError | undefined {
  if (typeof scanName !== 'string' || !SCAN_NAME.test(scanName)) {
    return badUserInput(
      `${typeof scanName === 'string' ? `scanName ${quote(scanName)}` : 'scanName'} is not a CodeGuru Security scan name (1-140 characters of a-z, A-Z, 0-9, -, _, $, :, .).`,
      CODEGURU_SECURITY,
    );
  }
  if (typeof findingId !== 'string' || findingId.trim() === '' || findingId.length > MAX_FINDING_ID_CHARS || CONTROL.test(findingId)) {
    return badUserInput(
      `${typeof findingId === 'string' ? `Finding id ${quote(findingId)}` : 'The finding id'} is not a finding id (a non-blank string of at most ${MAX_FINDING_ID_CHARS} characters, no control characters).`,
      CODEGURU_SECURITY,
    );
  }
  return undefined;
}

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
    return badUserInput(`${quote(arn)} names region ${quote(match[2])}, which is not an AWS region of partition ${quote(match[1] ?? '')}.`, INSPECTOR2);
  }
  return undefined;
}

/** Advalidation's scan ids are positive integers (16 digits stay near a safe integer). */
const SCAN_ID = /^[1-9]\d{0,15}$/;

export const isScanId = (id: unknown): id is string => typeof id === 'string' && SCAN_ID.test(id);

export function scanIdProblem(id: unknown): SubgraphError | undefined {
  if (isScanId(id)) return undefined;
  return badUserInput(`${typeof id === 'string' ? quote(id) : 'The value'} is not an Advalidation scan id (a positive integer).`, ADVALIDATION);
}
