/**
 * Where Amazon CodeGuru Security existed, and when it ended. The model's endpoint rule set
 * builds a host for any region of any partition, so it cannot say this; the AWS General
 * Reference page "Amazon CodeGuru Security endpoints and quotas"
 * (https://docs.aws.amazon.com/general/latest/gr/codeguru-security.html) lists these regions.
 * It also lists ap-southeast-1 (with the host `codeguru-security.us-east-2.amazonaws.com`,
 * apparently a typo on the page): kept, since the row exists.
 */
export const CODEGURU_SECURITY_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-north-1',
] as const;

/**
 * "On November 20, 2025, AWS will discontinue support for Amazon CodeGuru Security" (the
 * service documentation in the model; https://docs.aws.amazon.com/codeguru/latest/security-ug/end-of-support.html).
 */
export const CODEGURU_SECURITY_END_OF_SUPPORT = '2025-11-20';
