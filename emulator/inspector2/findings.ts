import type { Finding, FindingDetail, Resource } from '@aws-sdk/client-inspector2';
import { EMULATOR_ACCOUNT } from '../core/aws-wire.js';
import { EMULATOR_EPOCH } from '../core/clock.js';
import { Rng } from '../core/random.js';

/**
 * ListFindings' records, one per seeded FindingDetail and under the same ARN: whatever the list
 * shows, BatchGetFindingDetails knows (in the same region). Their own random stream, so the
 * details other tests rely on stay exactly as they were. Every member of the model's Finding
 * closure is filled by some record (the model-coverage test checks it).
 */
const DAY = 86_400_000;
const REPOSITORIES = ['payments-api', 'web-frontend', 'orders-worker', 'auth-service', 'reporting-batch'];
const FUNCTIONS = ['invoice-renderer', 'webhook-relay', 'thumbnailer', 'nightly-export'];
const PROJECTS = ['checkout', 'ledger', 'mobile-backend'];
const PACKAGES: Array<{ name: string; manager: string; path: string }> = [
  { name: 'openssl', manager: 'OS', path: '/usr/lib64/libssl.so.3' },
  { name: 'lodash', manager: 'NPM', path: 'app/node_modules/lodash/package.json' },
  { name: 'jackson-databind', manager: 'JAR', path: 'app/lib/jackson-databind.jar' },
  { name: 'requests', manager: 'PIP', path: 'venv/lib/python3.11/site-packages/requests' },
  { name: 'golang.org/x/net', manager: 'GOMOD', path: 'go.mod' },
];
const DETECTORS = [
  { id: 'python/sql-injection@v1.0', name: 'SQL injection', tags: ['injection', 'sql'], cwe: 'CWE-89', file: 'handler.py' },
  { id: 'javascript/xss@v1.0', name: 'Cross-site scripting', tags: ['injection', 'xss'], cwe: 'CWE-79', file: 'render.js' },
  { id: 'java/path-traversal@v1.0', name: 'Path traversal', tags: ['path-traversal'], cwe: 'CWE-22', file: 'Files.java' },
];
const RUNTIMES = ['NODEJS_18_X', 'NODEJS_22_X', 'PYTHON_3_11', 'JAVA_21', 'GO_1_X'];

const severityOf = (score: number, rng: Rng): string =>
  rng.bool(0.03)
    ? 'UNTRIAGED'
    : score >= 9
      ? 'CRITICAL'
      : score >= 7
        ? 'HIGH'
        : score >= 4
          ? 'MEDIUM'
          : score >= 1
            ? 'LOW'
            : 'INFORMATIONAL';

/** The CVE a seeded detail is about (its first reference URL ends with it). */
const cveOf = (detail: FindingDetail): string => detail.referenceUrls![0]!.split('/').at(-1)!;

export function generateFindings(details: readonly FindingDetail[], seed = 2021): Finding[] {
  const rng = new Rng(seed);
  return details.map((detail, index) => {
    const arn = detail.findingArn!;
    const region = arn.split(':')[3]!;
    const cve = cveOf(detail);
    const lastObservedAt = rng.dateBefore(EMULATOR_EPOCH, 60);
    const firstObservedAt = rng.dateBefore(lastObservedAt, 300);
    const score = Math.round(rng.float() * 100) / 10;
    const kind = index % 10 < 6 ? 'PACKAGE_VULNERABILITY' : index % 10 < 8 ? 'CODE_VULNERABILITY' : 'NETWORK_REACHABILITY';
    const resource = resourceFor(kind, index, region, rng, firstObservedAt);
    const finding: Finding = {
      findingArn: arn,
      awsAccountId: EMULATOR_ACCOUNT,
      type: kind as Finding['type'],
      title:
        kind === 'NETWORK_REACHABILITY' ? `Port range open to the internet on ${resource.id}` : `${cve} - ${titleSubject(kind, index)}`,
      description: `${cve} affects ${resource.id}. ${detail.cisaData?.action ?? ''}`.trim(),
      remediation: {
        recommendation: { text: 'Upgrade the affected package to the fixed version.', Url: `https://nvd.nist.gov/vuln/detail/${cve}` },
      },
      severity: severityOf(score, rng) as Finding['severity'],
      firstObservedAt,
      lastObservedAt,
      updatedAt: new Date(lastObservedAt.getTime() + rng.int(0, 3_600_000)),
      status: rng.pick(['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'SUPPRESSED', 'CLOSED']) as Finding['status'],
      resources: [resource],
      inspectorScore: score,
      inspectorScoreDetails: {
        adjustedCvss: {
          scoreSource: 'NVD',
          cvssSource: 'NVD',
          version: '3.1',
          score,
          scoringVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
          adjustments: [{ metric: 'AV', reason: 'Environmental: the resource is not reachable from the internet' }],
        },
      },
      fixAvailable: rng.pick(['YES', 'NO', 'PARTIAL']) as Finding['fixAvailable'],
      exploitAvailable: rng.pick(['YES', 'NO']) as Finding['exploitAvailable'],
      exploitabilityDetails: { lastKnownExploitAt: detail.exploitObserved?.lastSeen ?? lastObservedAt },
      epss: { score: detail.epssScore ?? 0 },
    };
    if (kind === 'PACKAGE_VULNERABILITY') {
      const pkg = PACKAGES[index % PACKAGES.length]!;
      finding.packageVulnerabilityDetails = {
        vulnerabilityId: cve,
        source: 'NVD',
        sourceUrl: `https://nvd.nist.gov/vuln/detail/${cve}`,
        vendorSeverity: rng.pick(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']),
        vendorCreatedAt: new Date(firstObservedAt.getTime() - 30 * DAY),
        vendorUpdatedAt: new Date(firstObservedAt.getTime() - 2 * DAY),
        relatedVulnerabilities: [`GHSA-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}`],
        referenceUrls: [...(detail.referenceUrls ?? [])],
        cvss: [{ baseScore: score, scoringVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', version: '3.1', source: 'NVD' }],
        vulnerablePackages: [
          {
            name: pkg.name,
            version: `1.${rng.int(0, 20)}.${rng.int(0, 9)}`,
            fixedInVersion: `1.${rng.int(21, 30)}.0`,
            epoch: 0,
            release: `${rng.int(1, 9)}.amzn2`,
            arch: 'x86_64',
            packageManager: pkg.manager as 'OS',
            filePath: pkg.path,
            remediation: `Upgrade ${pkg.name} to the fixed version.`,
            sourceLayerHash: `sha256:${rng.hex(64)}`,
            sourceLambdaLayerArn: `arn:aws:lambda:${region}:${EMULATOR_ACCOUNT}:layer:shared-deps:${rng.int(1, 40)}`,
          },
        ],
      };
    }
    if (kind === 'CODE_VULNERABILITY') {
      const detector = DETECTORS[index % DETECTORS.length]!;
      const line = rng.int(10, 400);
      finding.codeVulnerabilityDetails = {
        filePath: { fileName: detector.file, filePath: `src/${detector.file}`, startLine: line, endLine: line + rng.int(0, 6) },
        detectorTags: detector.tags,
        referenceUrls: [`https://cwe.mitre.org/data/definitions/${detector.cwe.slice(4)}.html`],
        ruleId: `${detector.id.split('@')[0]}-rule`,
        sourceLambdaLayerArn: `arn:aws:lambda:${region}:${EMULATOR_ACCOUNT}:layer:shared-code:${rng.int(1, 40)}`,
        detectorId: detector.id,
        detectorName: detector.name,
        cwes: [detector.cwe],
      };
    }
    if (kind === 'NETWORK_REACHABILITY') {
      const port = rng.pick([22, 80, 443, 3389, 5432]);
      finding.networkReachabilityDetails = {
        openPortRange: { begin: port, end: port },
        protocol: 'TCP',
        networkPath: {
          steps: [
            { componentId: `igw-${rng.hex(8)}`, componentType: 'AWS::EC2::InternetGateway' },
            {
              componentId: `sg-${rng.hex(8)}`,
              componentType: 'AWS::EC2::SecurityGroup',
              componentArn: `arn:aws:ec2:${region}:${EMULATOR_ACCOUNT}:security-group/sg-${rng.hex(8)}`,
            },
          ],
        },
      };
    }
    return finding;
  });
}

function titleSubject(kind: string, index: number): string {
  return kind === 'PACKAGE_VULNERABILITY' ? PACKAGES[index % PACKAGES.length]!.name : DETECTORS[index % DETECTORS.length]!.name;
}

/**
 * The finding's resource. Every 97th is another cloud's (provider AZURE, a Microsoft.* type and
 * the members only botocore's newer model has: vm, image, serverlessFunction), so those are exercised too.
 */
function resourceFor(kind: string, index: number, region: string, rng: Rng, seen: Date): Resource {
  const other = index % 97 === 5;
  const base = {
    partition: 'aws',
    region,
    tags: { Team: rng.pick(['payments', 'platform', 'growth']), Environment: rng.pick(['prod', 'staging']) },
  };
  const otherCloud = other
    ? { provider: 'AZURE' as const, providerAccountId: rng.uuid(), providerOrgId: rng.uuid() }
    : { provider: 'AWS' as const, providerAccountId: EMULATOR_ACCOUNT };
  const flavour = kind === 'NETWORK_REACHABILITY' ? 0 : kind === 'CODE_VULNERABILITY' ? (index % 2 === 0 ? 2 : 3) : index % 3;
  if (flavour === 0) {
    const id = `i-${rng.hex(17)}`;
    return {
      ...base,
      ...otherCloud,
      type: other ? 'Microsoft.Compute/virtualMachines' : 'AWS_EC2_INSTANCE',
      id,
      details: {
        awsEc2Instance: {
          type: rng.pick(['m5.large', 't3.medium', 'c6g.xlarge']),
          imageId: `ami-${rng.hex(17)}`,
          ipV4Addresses: [`10.0.${rng.int(0, 255)}.${rng.int(1, 254)}`],
          ipV6Addresses: [`2600:1f18:${rng.hex(4)}::${rng.hex(4)}`],
          keyName: 'ops-2025',
          iamInstanceProfileArn: `arn:aws:iam::${EMULATOR_ACCOUNT}:instance-profile/app-server`,
          vpcId: `vpc-${rng.hex(8)}`,
          subnetId: `subnet-${rng.hex(8)}`,
          launchedAt: new Date(seen.getTime() - rng.int(1, 200) * DAY),
          platform: 'AMAZON_LINUX_2',
        },
        ...(other && {
          vm: {
            type: 'Standard_D2s_v5',
            vmName: `vm-${rng.hex(6)}`,
            vmImageReference: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts',
            ipV4Addresses: [`10.1.${rng.int(0, 255)}.${rng.int(1, 254)}`],
            ipV6Addresses: [`fd00::${rng.hex(4)}`],
            networkId: `vnet-${rng.hex(6)}`,
            subnetIds: [`snet-${rng.hex(6)}`],
            securityGroupIds: [`nsg-${rng.hex(6)}`],
            launchedAt: new Date(seen.getTime() - 10 * DAY),
            platform: 'UBUNTU_22_04',
            executionRole: 'managed-identity-app',
            keyName: 'azure-ops',
          },
        }),
      },
    };
  }
  if (flavour === 1) {
    const repositoryName = REPOSITORIES[index % REPOSITORIES.length]!;
    const hash = `sha256:${rng.hex(64)}`;
    const pushedAt = new Date(seen.getTime() - rng.int(1, 30) * DAY);
    return {
      ...base,
      ...otherCloud,
      type: other ? 'Microsoft.ContainerRegistry/registry/containerImage' : 'AWS_ECR_CONTAINER_IMAGE',
      id: `arn:aws:ecr:${region}:${EMULATOR_ACCOUNT}:repository/${repositoryName}/${hash}`,
      details: {
        awsEcrContainerImage: {
          repositoryName,
          imageTags: [`v${rng.int(1, 9)}.${rng.int(0, 30)}`, 'latest'],
          pushedAt,
          author: 'ci@example.com',
          architecture: 'amd64',
          imageHash: hash,
          registry: EMULATOR_ACCOUNT,
          platform: 'AMAZON_LINUX_2023',
          lastInUseAt: new Date(pushedAt.getTime() + DAY),
          inUseCount: rng.int(0, 12),
        },
        ...(other && {
          image: {
            repositoryName,
            registry: 'contoso.azurecr.io',
            imageTags: ['latest'],
            imageDigest: hash,
            pushedAt,
            architecture: 'amd64',
            author: 'ci@example.com',
            inUseCount: 1,
            lastInUseAt: new Date(pushedAt.getTime() + DAY),
            platform: 'LINUX',
          },
        }),
      },
    };
  }
  if (flavour === 2) {
    const functionName = FUNCTIONS[index % FUNCTIONS.length]!;
    const lastModifiedAt = new Date(seen.getTime() - rng.int(1, 60) * DAY);
    const layer = `arn:aws:lambda:${region}:${EMULATOR_ACCOUNT}:layer:shared-deps:${rng.int(1, 40)}`;
    return {
      ...base,
      ...otherCloud,
      type: other ? 'Microsoft.Web/sites' : 'AWS_LAMBDA_FUNCTION',
      id: `arn:aws:lambda:${region}:${EMULATOR_ACCOUNT}:function:${functionName}`,
      details: {
        awsLambdaFunction: {
          functionName,
          runtime: rng.pick(RUNTIMES) as 'NODEJS_18_X',
          codeSha256: Buffer.from(rng.hex(32), 'hex').toString('base64'),
          version: '$LATEST',
          executionRoleArn: `arn:aws:iam::${EMULATOR_ACCOUNT}:role/${functionName}-role`,
          layers: [layer],
          vpcConfig: { subnetIds: [`subnet-${rng.hex(8)}`], securityGroupIds: [`sg-${rng.hex(8)}`], vpcId: `vpc-${rng.hex(8)}` },
          packageType: 'ZIP',
          architectures: [rng.pick(['X86_64', 'ARM64'])],
          lastModifiedAt,
        },
        ...(other && {
          serverlessFunction: {
            serverlessFunctionName: `${functionName}-az`,
            runtime: 'node18',
            version: '1',
            codeDigest: `sha256:${rng.hex(64)}`,
            lastModifiedAt,
            networkId: `vnet-${rng.hex(6)}`,
            subnetIds: [`snet-${rng.hex(6)}`],
            securityGroupIds: [`nsg-${rng.hex(6)}`],
            executionRole: 'managed-identity-fn',
            packageType: 'ZIP',
            architectures: ['X86_64'],
            layers: [layer],
          },
        }),
      },
    };
  }
  const projectName = PROJECTS[index % PROJECTS.length]!;
  return {
    ...base,
    ...otherCloud,
    type: 'CODE_REPOSITORY',
    id: `github.com/example/${projectName}`,
    details: {
      codeRepository: {
        projectName,
        integrationArn: `arn:aws:inspector2:${region}:${EMULATOR_ACCOUNT}:codesecurity-integration/${rng.uuid()}`,
        providerType: rng.pick(['GITHUB', 'GITLAB_SELF_MANAGED']) as 'GITHUB',
      },
    },
  };
}
