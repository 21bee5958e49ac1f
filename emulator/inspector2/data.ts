import type { Finding, FindingDetail, FindingDetailsError } from '@aws-sdk/client-inspector2';
import { EMULATOR_ACCOUNT } from '../core/aws-wire.js';
import { EMULATOR_EPOCH } from '../core/clock.js';
import { Rng } from '../core/random.js';
import { generateFindings } from './findings.js';

export const INSPECTOR_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
const ACCOUNT = EMULATOR_ACCOUNT;
/**
 * ARNs in this account are well-formed but the emulator refuses them with ValidationException,
 * as a service does for input it validates beyond the published pattern: they exercise the
 * subgraph's bisection of rejected batches.
 */
export const REJECTED_ACCOUNT = '000000000000';

export interface InspectorData {
  details: FindingDetail[];
  /** What ListFindings lists: one finding per detail, under the same ARN (so in the same region). */
  findings: Finding[];
  /** Well-formed ARNs the emulator answers with a per-item error instead of details. */
  itemErrors: FindingDetailsError[];
  /**
   * Seconds the emulator sends in `Retry-After` when it throttles (default 1). A test may raise
   * it above the SDK's own throttling backoff (under 1 s for a first retry) to prove the header,
   * not the backoff, set the wait.
   */
  throttleRetryAfterSeconds?: number;
}

// MITRE ATT&CK: one tactic and one technique per finding, so a finding never lists a TTP twice.
const TACTICS = ['TA0001', 'TA0002', 'TA0004', 'TA0005', 'TA0008'];
const TECHNIQUES = ['T1190', 'T1059', 'T1068', 'T1203', 'T1210'];
const TOOLS = ['Metasploit', 'Cobalt Strike', 'nuclei', 'sqlmap', 'Mirai'];
const CWES = ['CWE-79', 'CWE-89', 'CWE-94', 'CWE-22', 'CWE-502', 'CWE-787', 'CWE-416', 'CWE-20'];
const ACTIONS = [
  'Apply updates per vendor instructions.',
  'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
];

export const findingArn = (region: string, account: string, hex: string) => `arn:aws:inspector2:${region}:${account}:finding/${hex}`;

/** Deterministic, realistic finding details across several regions, every member filled. */
export function generateFindingDetails(perRegion = 400, seed = 2020): InspectorData {
  const rng = new Rng(seed);
  const details: FindingDetail[] = [];
  const itemErrors: FindingDetailsError[] = [];
  for (const region of INSPECTOR_REGIONS) {
    for (let i = 0; i < perRegion; i += 1) {
      const added = rng.dateBefore(EMULATOR_EPOCH, 700);
      const firstSeen = rng.dateBefore(added, 120);
      const cve = `CVE-${rng.int(2019, 2026)}-${rng.int(1000, 49999)}`;
      details.push({
        findingArn: findingArn(region, ACCOUNT, rng.hex(32)),
        cisaData: { dateAdded: added, dateDue: new Date(added.getTime() + 21 * 86_400_000), action: rng.pick(ACTIONS) },
        riskScore: rng.int(1, 100),
        evidences: [
          {
            evidenceRule: 'CISA_KEV',
            evidenceDetail: `${cve} is in the CISA Known Exploited Vulnerabilities catalog`,
            severity: 'Critical',
          },
          {
            evidenceRule: 'EXPLOIT_PUBLIC',
            evidenceDetail: `Public exploit code exists for ${cve}`,
            severity: rng.pick(['High', 'Medium', 'Low']),
          },
        ],
        ttps: [rng.pick(TACTICS), rng.pick(TECHNIQUES)],
        tools: [rng.pick(TOOLS)],
        exploitObserved: { firstSeen, lastSeen: new Date(firstSeen.getTime() + rng.int(1, 90) * 86_400_000) },
        referenceUrls: [
          `https://nvd.nist.gov/vuln/detail/${cve}`,
          `https://www.cisa.gov/known-exploited-vulnerabilities-catalog?search_api_fulltext=${cve}`,
        ],
        cwes: [rng.pick(CWES)],
        epssScore: Math.round(rng.float() * 100_000) / 100_000,
      });
    }
    itemErrors.push(
      {
        findingArn: findingArn(region, ACCOUNT, rng.hex(32)),
        errorCode: 'ACCESS_DENIED',
        errorMessage: 'You do not have access to this finding.',
      },
      {
        findingArn: findingArn(region, ACCOUNT, rng.hex(32)),
        errorCode: 'INVALID_INPUT',
        errorMessage: 'The finding is not a package vulnerability finding.',
      },
      {
        findingArn: findingArn(region, ACCOUNT, rng.hex(32)),
        errorCode: 'INTERNAL_ERROR',
        errorMessage: 'Internal error while reading finding details.',
      },
    );
  }
  return { details, findings: generateFindings(details, seed + 1), itemErrors };
}
