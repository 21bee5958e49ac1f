import type { Build, BuildPhase, BuildPhaseType, StatusType } from '@aws-sdk/client-codebuild';
import { EMULATOR_ACCOUNT } from '../core/aws-wire.js';
import { EMULATOR_EPOCH } from '../core/clock.js';
import { Rng } from '../core/random.js';

/** The region the seeded builds belong to (their account is the emulator's). */
export const EMULATOR_REGION = 'us-east-1';
const ACCOUNT = EMULATOR_ACCOUNT;

interface SeedProject {
  readonly name: string;
  readonly repo: string;
  readonly image: string;
}

/** The five busy projects: 240 builds each in the seed, so listing one takes three pages of 100. */
const PROJECTS: readonly SeedProject[] = [
  { name: 'payments-api', repo: 'acme/payments-api', image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0' },
  { name: 'web-frontend', repo: 'acme/web-frontend', image: 'aws/codebuild/standard:7.0' },
  { name: 'infra-terraform', repo: 'acme/infrastructure', image: 'hashicorp/terraform:1.9' },
  { name: 'mobile-app', repo: 'acme/mobile-app', image: 'aws/codebuild/amazonlinux-aarch64-standard:3.0' },
  { name: 'data-pipeline', repo: 'acme/data-pipeline', image: 'aws/codebuild/standard:7.0' },
];

/**
 * Twenty-four quiet projects with six builds each, seeded after the busy ones from a seed of their own, so the
 * 1,200 builds (and ids) the other suites know stay as they were while ListProjects has more than 20 names.
 */
const QUIET_PROJECTS: readonly SeedProject[] = [
  'auth-service',
  'billing-worker',
  'catalog-api',
  'checkout-web',
  'docs-site',
  'email-sender',
  'fraud-scoring',
  'gateway-edge',
  'identity-sync',
  'inventory-api',
  'ledger-batch',
  'log-shipper',
  'ml-training',
  'notifications',
  'orders-api',
  'pricing-engine',
  'reports-etl',
  'search-indexer',
  'shipping-api',
  'support-portal',
  'tax-calculator',
  'user-profile',
  'warehouse-sync',
  'webhooks-relay',
].map((name) => ({ name, repo: `acme/${name}`, image: 'aws/codebuild/standard:7.0' }));

/** What the emulator serves: the 1,200 builds of the busy projects, then 144 of the quiet ones (29 projects). */
export function seedBuilds(): Build[] {
  return [...generateBuilds(1200), ...generateBuilds(QUIET_PROJECTS.length * 6, 2017, QUIET_PROJECTS)];
}

const PHASES: readonly BuildPhaseType[] = [
  'SUBMITTED',
  'QUEUED',
  'PROVISIONING',
  'DOWNLOAD_SOURCE',
  'INSTALL',
  'PRE_BUILD',
  'BUILD',
  'POST_BUILD',
  'UPLOAD_ARTIFACTS',
  'FINALIZING',
  'COMPLETED',
];
const FINAL_STATUSES: readonly StatusType[] = [
  'SUCCEEDED',
  'SUCCEEDED',
  'SUCCEEDED',
  'SUCCEEDED',
  'FAILED',
  'FAULT',
  'TIMED_OUT',
  'STOPPED',
];

/**
 * Deterministic, realistic CodeBuild builds: every member of `Build` and its nested shapes is
 * filled (an in-progress build, as in reality, has no `endTime` and no final phase yet).
 */
export function generateBuilds(count: number, seed = 2016, projects: readonly SeedProject[] = PROJECTS): Build[] {
  const rng = new Rng(seed);
  const builds: Build[] = [];
  const numbers = new Map<string, number>();
  for (let index = 0; index < count; index += 1) {
    const project = projects[index % projects.length]!;
    const buildNumber = (numbers.get(project.name) ?? 0) + 1;
    numbers.set(project.name, buildNumber);
    const id = `${project.name}:${rng.uuid()}`;
    const inProgress = index % 10 === 9;
    const status: StatusType = inProgress ? 'IN_PROGRESS' : rng.pick(FINAL_STATUSES);
    const startTime = rng.dateBefore(EMULATOR_EPOCH, 60);
    const phases = buildPhases(rng, startTime, status, inProgress);
    // The COMPLETED phase starts when the build ends.
    const endTime = inProgress ? undefined : phases[phases.length - 1]!.startTime;
    const sha = rng.hex(40);
    const region = EMULATOR_REGION;
    const logStream = id.split(':')[1]!;
    const bucket = `acme-build-artifacts-${region}`;
    builds.push({
      id,
      arn: `arn:aws:codebuild:${region}:${ACCOUNT}:build/${id}`,
      buildNumber,
      startTime,
      ...(endTime ? { endTime } : {}),
      currentPhase: inProgress ? phases[phases.length - 1]!.phaseType : 'COMPLETED',
      buildStatus: status,
      sourceVersion: rng.bool(0.7) ? 'refs/heads/main' : `pr/${rng.int(100, 999)}`,
      resolvedSourceVersion: sha,
      projectName: project.name,
      phases,
      source: {
        type: 'GITHUB',
        location: `https://github.com/${project.repo}.git`,
        gitCloneDepth: 1,
        gitSubmodulesConfig: { fetchSubmodules: rng.bool(0.3) },
        buildspec: 'buildspec.yml',
        auth: { type: 'CODECONNECTIONS', resource: `arn:aws:codeconnections:${region}:${ACCOUNT}:connection/${rng.uuid()}` },
        reportBuildStatus: true,
        buildStatusConfig: {
          context: `codebuild/${project.name}`,
          targetUrl: `https://console.aws.amazon.com/codesuite/codebuild/projects/${project.name}`,
        },
        insecureSsl: false,
        sourceIdentifier: 'primary',
      },
      secondarySources: [
        {
          type: 'S3',
          location: `acme-shared-config/${project.name}/config.zip`,
          gitCloneDepth: 0,
          gitSubmodulesConfig: { fetchSubmodules: false },
          buildspec: '',
          auth: { type: 'SECRETS_MANAGER', resource: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:ci/s3-reader-AbCdEf` },
          reportBuildStatus: false,
          buildStatusConfig: { context: 'config', targetUrl: 'https://example.com/config' },
          insecureSsl: false,
          sourceIdentifier: 'config',
        },
      ],
      secondarySourceVersions: [{ sourceIdentifier: 'config', sourceVersion: rng.hex(32) }],
      artifacts: {
        location: `arn:aws:s3:::${bucket}/${project.name}/${buildNumber}/output.zip`,
        sha256sum: rng.hex(64),
        md5sum: rng.hex(32),
        overrideArtifactName: false,
        encryptionDisabled: false,
        artifactIdentifier: 'output',
        bucketOwnerAccess: 'FULL',
      },
      secondaryArtifacts: [
        {
          location: `arn:aws:s3:::${bucket}/${project.name}/${buildNumber}/reports.zip`,
          sha256sum: rng.hex(64),
          md5sum: rng.hex(32),
          overrideArtifactName: true,
          encryptionDisabled: false,
          artifactIdentifier: 'reports',
          bucketOwnerAccess: 'READ_ONLY',
        },
      ],
      cache: {
        type: rng.bool() ? 'S3' : 'LOCAL',
        location: `${bucket}/cache/${project.name}`,
        modes: ['LOCAL_DOCKER_LAYER_CACHE', 'LOCAL_SOURCE_CACHE'],
        cacheNamespace: project.name,
      },
      environment: {
        type: project.image.includes('aarch64') ? 'ARM_CONTAINER' : 'LINUX_CONTAINER',
        image: project.image,
        computeType: rng.pick(['BUILD_GENERAL1_SMALL', 'BUILD_GENERAL1_MEDIUM', 'BUILD_GENERAL1_LARGE'] as const),
        computeConfiguration: { vCpu: 4, memory: 8, disk: 64, machineType: 'GENERAL', instanceType: 'c6i.xlarge' },
        fleet: { fleetArn: `arn:aws:codebuild:${region}:${ACCOUNT}:fleet/linux-reserved:${rng.uuid()}` },
        environmentVariables: [
          { name: 'STAGE', value: rng.pick(['dev', 'staging', 'prod']), type: 'PLAINTEXT' },
          { name: 'NPM_TOKEN', value: `/ci/${project.name}/npm-token`, type: 'PARAMETER_STORE' },
          { name: 'SONAR_TOKEN', value: `ci/${project.name}/sonar:token`, type: 'SECRETS_MANAGER' },
        ],
        privilegedMode: rng.bool(0.4),
        certificate: `${bucket}/certs/internal-ca.pem`,
        registryCredential: {
          credential: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:dockerhub-ci-Xy12Z9`,
          credentialProvider: 'SECRETS_MANAGER',
        },
        imagePullCredentialsType: rng.bool() ? 'CODEBUILD' : 'SERVICE_ROLE',
        dockerServer: {
          computeType: 'BUILD_GENERAL1_MEDIUM',
          securityGroupIds: [`sg-${rng.hex(17)}`],
          status: { status: 'RUNNING', message: 'Docker server is ready' },
        },
        hostKernel: rng.pick(['LINUX_KERNEL_4', 'LINUX_KERNEL_6', 'LINUX_KERNEL_LATEST'] as const),
      },
      serviceRole: `arn:aws:iam::${ACCOUNT}:role/service-role/codebuild-${project.name}-role`,
      logs: {
        groupName: `/aws/codebuild/${project.name}`,
        streamName: logStream,
        deepLink: `https://console.aws.amazon.com/cloudwatch/home?region=${region}#logEvent:group=/aws/codebuild/${project.name};stream=${logStream}`,
        s3DeepLink: `https://s3.console.aws.amazon.com/s3/object/${bucket}/logs/${logStream}.gz`,
        cloudWatchLogsArn: `arn:aws:logs:${region}:${ACCOUNT}:log-group:/aws/codebuild/${project.name}:log-stream:${logStream}`,
        s3LogsArn: `arn:aws:s3:::${bucket}/logs/${logStream}.gz`,
        cloudWatchLogs: { status: 'ENABLED', groupName: `/aws/codebuild/${project.name}`, streamName: logStream },
        s3Logs: { status: 'ENABLED', location: `${bucket}/logs`, encryptionDisabled: false, bucketOwnerAccess: 'NONE' },
      },
      timeoutInMinutes: 60,
      queuedTimeoutInMinutes: 480,
      buildComplete: !inProgress,
      initiator: rng.bool(0.6) ? `codepipeline/${project.name}-pipeline` : 'GitHub-Hookshot/0f1e2d3',
      vpcConfig: {
        vpcId: `vpc-${rng.hex(17)}`,
        subnets: [`subnet-${rng.hex(17)}`, `subnet-${rng.hex(17)}`],
        securityGroupIds: [`sg-${rng.hex(17)}`],
      },
      networkInterface: { subnetId: `subnet-${rng.hex(17)}`, networkInterfaceId: `eni-${rng.hex(17)}` },
      encryptionKey: `arn:aws:kms:${region}:${ACCOUNT}:alias/aws/s3`,
      exportedEnvironmentVariables: [
        { name: 'IMAGE_TAG', value: sha.slice(0, 12) },
        { name: 'DEPLOY_TOKEN', value: `dt_${rng.hex(24)}` },
      ],
      reportArns: [`arn:aws:codebuild:${region}:${ACCOUNT}:report/${project.name}-tests:${rng.uuid()}`],
      fileSystemLocations: [
        {
          type: 'EFS',
          location: `fs-${rng.hex(8)}.efs.${region}.amazonaws.com:/cache`,
          mountPoint: '/mnt/cache',
          identifier: 'build_cache',
          mountOptions: 'nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2',
        },
      ],
      debugSession: { sessionEnabled: false, sessionTarget: `ecs:codebuild-debug-${rng.hex(8)}` },
      buildBatchArn: `arn:aws:codebuild:${region}:${ACCOUNT}:build-batch/${project.name}:${rng.uuid()}`,
      // Linked into retry chains below; a first build has no previousAutoRetry.
      autoRetryConfig: { autoRetryLimit: AUTO_RETRY_LIMIT, autoRetryNumber: 0 },
    });
  }
  linkAutoRetries(builds, projects.length);
  return builds;
}

const AUTO_RETRY_LIMIT = 2;
/** Build statuses CodeBuild auto-retries (a stopped build was stopped on purpose). */
const RETRIED: ReadonlySet<string> = new Set(['FAILED', 'FAULT', 'TIMED_OUT']);

/**
 * Auto-retry chains as CodeBuild records them: a failed build with retries left names the
 * retry it triggered in `nextAutoRetry` (a build ARN), the retry names it back in
 * `previousAutoRetry` and counts `autoRetryNumber` up from 0. The retry of build i is the next
 * build of the same project (i + the number of projects), so every ARN names a seeded build;
 * members with nothing to say are absent, as the model documents (null, not empty).
 */
function linkAutoRetries(builds: Build[], projects: number): void {
  for (let index = 0; index < builds.length; index += 1) {
    const build = builds[index]!;
    const config = build.autoRetryConfig!;
    const retry = builds[index + projects];
    if (!retry || !RETRIED.has(String(build.buildStatus)) || (config.autoRetryNumber ?? 0) >= AUTO_RETRY_LIMIT) continue;
    config.nextAutoRetry = retry.arn!;
    retry.autoRetryConfig = { ...retry.autoRetryConfig, autoRetryNumber: (config.autoRetryNumber ?? 0) + 1, previousAutoRetry: build.arn! };
  }
}

function buildPhases(rng: Rng, start: Date, status: StatusType, inProgress: boolean): BuildPhase[] {
  const reached = inProgress ? rng.int(2, 7) : PHASES.length;
  const failAt = status === 'SUCCEEDED' || inProgress ? -1 : rng.int(4, 8);
  const phases: BuildPhase[] = [];
  let clock = start.getTime();
  for (let index = 0; index < reached; index += 1) {
    const phaseType = PHASES[index]!;
    const isLast = index === reached - 1;
    const running = inProgress && isLast;
    const seconds = phaseType === 'COMPLETED' ? 0 : rng.int(1, phaseType === 'BUILD' ? 600 : 60);
    const startTime = new Date(clock);
    clock += seconds * 1000 + rng.int(0, 999);
    const phaseStatus: StatusType = running ? 'IN_PROGRESS' : index === failAt ? (status === 'FAULT' ? 'FAULT' : status) : 'SUCCEEDED';
    const phase: BuildPhase = { phaseType, phaseStatus, startTime };
    if (!running && phaseType !== 'COMPLETED') {
      phase.endTime = new Date(clock);
      phase.durationInSeconds = seconds;
      phase.contexts = [
        index === failAt
          ? { statusCode: 'COMMAND_EXECUTION_ERROR', message: 'Error while executing command: npm test. Reason: exit status 1' }
          : { statusCode: '', message: '' },
      ];
    }
    phases.push(phase);
  }
  return phases;
}

/** A project as ListProjects and ListBuildsForProject see it, derived from the builds the emulator serves. */
export interface SeededProject {
  name: string;
  created: Date;
  lastModified: Date;
  /** Its build ids by build number, ascending (the first build first). */
  buildIds: string[];
}

/**
 * The projects the seeded builds name (the `project` of `project:uuid`). A project was created a day before its
 * earliest build started and last modified when its latest build started, so the three ListProjects orders differ.
 */
export function projectsOf(builds: readonly Build[]): SeededProject[] {
  const byName = new Map<string, { builds: Build[] }>();
  for (const build of builds) {
    const name = build.id!.slice(0, build.id!.indexOf(':'));
    const entry = byName.get(name) ?? { builds: [] };
    entry.builds.push(build);
    byName.set(name, entry);
  }
  return [...byName].map(([name, { builds: own }]) => {
    const starts = own.map((build) => build.startTime!.getTime());
    return {
      name,
      created: new Date(Math.min(...starts) - 86_400_000),
      lastModified: new Date(Math.max(...starts)),
      buildIds: [...own].sort((a, b) => (a.buildNumber ?? 0) - (b.buildNumber ?? 0)).map((build) => build.id!),
    };
  });
}
