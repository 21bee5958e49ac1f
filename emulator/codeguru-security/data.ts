import type { Finding, ScanState, ScanSummary, Severity, Status } from '../../src/upstreams/codeguru-security/sdk/index.js';
import { EMULATOR_EPOCH } from '../core/clock.js';
import { Rng } from '../core/random.js';

/** A finding as the emulator stores it: the scan it belongs to plus the upstream record. */
export interface SeededFinding {
  scanName: string;
  finding: Finding;
}

const REPOS = ['payments-api', 'web-frontend', 'infra-terraform', 'mobile-app', 'data-pipeline', 'auth-service'];

const DETECTORS = [
  {
    id: 'python/sql-injection@v1.0',
    name: 'SQL injection',
    rule: 'Rule-760043',
    cwe: 'CWE-89',
    tags: ['injection', 'sql', 'owasp-top10', 'top25-cwes', 'cwe-89'],
    file: 'src/db/queries.py',
    code: ['def find_user(name):', '    cursor.execute("SELECT * FROM users WHERE name = \'%s\'" % name)', '    return cursor.fetchone()'],
    fix: '    cursor.execute("SELECT * FROM users WHERE name = %s", (name,))',
    severity: 'High' as Severity,
  },
  {
    id: 'javascript/cross-site-scripting@v1.0',
    name: 'Cross-site scripting',
    rule: 'Rule-651270',
    cwe: 'CWE-79',
    tags: ['injection', 'xss', 'owasp-top10', 'cwe-79'],
    file: 'src/components/Comment.jsx',
    code: ['export function Comment({ body }) {', '  return <div dangerouslySetInnerHTML={{ __html: body }} />;', '}'],
    fix: '  return <div>{body}</div>;',
    severity: 'Medium' as Severity,
  },
  {
    id: 'java/hardcoded-credentials@v1.0',
    name: 'Hardcoded credentials',
    rule: 'Rule-214876',
    cwe: 'CWE-798',
    tags: ['secrets', 'cryptography', 'cwe-798'],
    file: 'src/main/java/com/acme/Config.java',
    code: ['public class Config {', '    private static final String DB_PASSWORD = "changeme";', '}'],
    fix: '    private static final String DB_PASSWORD = System.getenv("DB_PASSWORD");',
    severity: 'Critical' as Severity,
  },
  {
    id: 'python/insecure-hashing@v1.0',
    name: 'Insecure hashing',
    rule: 'Rule-118209',
    cwe: 'CWE-327',
    tags: ['cryptography', 'cwe-327', 'cwe-328'],
    file: 'src/auth/tokens.py',
    code: ['import hashlib', 'def token(value):', '    return hashlib.md5(value.encode()).hexdigest()'],
    fix: '    return hashlib.sha256(value.encode()).hexdigest()',
    severity: 'Low' as Severity,
  },
  {
    id: 'terraform/s3-bucket-logging@v1.0',
    name: 'S3 bucket without access logging',
    rule: 'Rule-905512',
    cwe: 'CWE-778',
    tags: ['logging', 'aws-s3', 'cwe-778'],
    file: 'modules/storage/main.tf',
    code: ['resource "aws_s3_bucket" "artifacts" {', '  bucket = "acme-artifacts"', '}'],
    fix: 'resource "aws_s3_bucket_logging" "artifacts" { bucket = aws_s3_bucket.artifacts.id }',
    severity: 'Info' as Severity,
  },
];

/**
 * Deterministic, realistic CodeGuru Security findings spread over several scans, every member
 * of `Finding` and its nested shapes filled. Two scans share a finding id on purpose: a client
 * that maps results by finding id alone would swap them.
 */
export function generateFindings(scans = 12, perScan = 100, seed = 2018): SeededFinding[] {
  const rng = new Rng(seed);
  const out: SeededFinding[] = [];
  let sharedId: string | undefined;
  for (let s = 0; s < scans; s += 1) {
    const repo = REPOS[s % REPOS.length]!;
    const scanName = `${repo}-scan-2026-10-${String((s % 28) + 1).padStart(2, '0')}`;
    for (let i = 0; i < perScan; i += 1) {
      const detector = rng.pick(DETECTORS);
      const createdAt = rng.dateBefore(EMULATOR_EPOCH, 90);
      const updatedAt = new Date(createdAt.getTime() + rng.int(0, 10 * 86_400_000));
      const startLine = rng.int(5, 400);
      let id = rng.hex(64);
      if (s === 0 && i === 0) sharedId = id;
      if (s === 1 && i === 0) id = sharedId!;
      const status: Status = rng.bool(0.8) ? 'Open' : 'Closed';
      out.push({
        scanName,
        finding: {
          createdAt,
          description: `${detector.name} detected: untrusted input reaches a sensitive sink in ${detector.file}.`,
          generatorId: 'AmazonCodeGuruSecurity',
          id,
          updatedAt,
          type: 'Vulnerability',
          status,
          resource: { id: scanName, subResourceId: `${detector.file}:${startLine}` },
          vulnerability: {
            referenceUrls: [
              `https://cwe.mitre.org/data/definitions/${detector.cwe.slice(4)}.html`,
              'https://owasp.org/www-project-top-ten/',
            ],
            relatedVulnerabilities: [detector.cwe],
            id: `${detector.cwe}-${rng.hex(8)}`,
            filePath: {
              name: detector.file.split('/').pop()!,
              path: detector.file,
              startLine,
              endLine: startLine + detector.code.length - 1,
              codeSnippet: detector.code.map((content, offset) => ({ number: startLine + offset, content })),
            },
            itemCount: rng.int(1, 4),
          },
          severity: detector.severity,
          remediation: {
            recommendation: {
              text: `Fix ${detector.name.toLowerCase()}: see the suggested change and the detector documentation.`,
              url: `https://docs.aws.amazon.com/codeguru/detector-library/${detector.id.split('@')[0]}/`,
            },
            suggestedFixes: [{ description: `Replace line ${startLine + 1} with a safe equivalent.`, code: detector.fix }],
          },
          title: `${detector.cwe} - ${detector.name}`,
          detectorTags: detector.tags,
          detectorId: detector.id,
          detectorName: detector.name,
          ruleId: detector.rule,
        },
      });
    }
  }
  return out;
}

/** A scan as ListScans summarizes it, without its region-bound ARN (the route adds it for the region asked). */
export type SeededScan = Omit<ScanSummary, 'scanNameArn'>;

/**
 * The scans the seeded findings belong to, in the order the emulator lists them (first seen
 * first), so ListScans, GetFindings and BatchGetFindings agree on which scans exist. Each scan
 * was created just before its oldest finding and last updated at its newest one; its latest
 * run succeeded, except one re-run still in progress and one that failed (their findings are
 * the previous run's, which the service keeps).
 */
export function scansOf(findings: readonly SeededFinding[], seed = 510): SeededScan[] {
  const rng = new Rng(seed);
  const byName = new Map<string, { oldest: number; newest: number }>();
  for (const { scanName, finding } of findings) {
    const span = byName.get(scanName) ?? { oldest: Infinity, newest: -Infinity };
    span.oldest = Math.min(span.oldest, finding.createdAt!.getTime());
    span.newest = Math.max(span.newest, finding.updatedAt!.getTime());
    byName.set(scanName, span);
  }
  return [...byName].map(([scanName, { oldest, newest }], index, all) => {
    const scanState: ScanState = index === all.length - 1 ? 'InProgress' : index === all.length - 2 ? 'Failed' : 'Successful';
    return {
      scanState,
      createdAt: new Date(oldest - rng.int(60_000, 3_600_000)),
      updatedAt: new Date(newest),
      scanName,
      runId: rng.uuid(),
    };
  });
}
