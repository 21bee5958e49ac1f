/**
 * The floor contender of measure 2: the least any server can do to answer the mixed query. node:http,
 * the 30 batch calls at once as SigV4-signed requests over node:http (no SDK, no middleware, no
 * retries, no limits), each answer collected with Buffer.concat, decoded and JSON.parse'd, the thin
 * selection picked out (epoch-second timestamps written as ISO strings, as the schema's DateTime),
 * one JSON.stringify. Takes the mixed query's variables ({ buildIds, findings, arns }) as a POST
 * body. What it spends, any design spends: the bytes have to arrive, be parsed and be written.
 * Prints its URL.
 */
import { Buffer } from 'node:buffer';
import { createServer, request as httpRequest, Agent } from 'node:http';
import { URL } from 'node:url';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

const env = process.env;
const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' };
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const signers = new Map();
const signer = (service, region) => {
  const key = `${service} ${region}`;
  if (!signers.has(key)) signers.set(key, new SignatureV4({ service, region, credentials, sha256: Sha256 }));
  return signers.get(key);
};

/** One signed POST; resolves with the parsed JSON answer. */
async function call(endpoint, service, region, path, headers, payload) {
  const url = new URL(endpoint);
  const body = JSON.stringify(payload);
  const signed = await signer(service, region).sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path,
    headers: { host: url.host, 'content-type': 'application/json', ...headers },
    body,
  });
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { agent, hostname: url.hostname, port: url.port, path, method: 'POST', headers: signed.headers },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) reject(new Error(`HTTP ${response.statusCode}`));
          else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        });
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const iso = (seconds) => (seconds === undefined ? null : new Date(seconds * 1000).toISOString());
const chunks = (items, size) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));
const region = env.AWS_REGION ?? 'us-east-1';

/** The 30 batch calls at once; the parsed answers, unconverted. */
async function fetchAll({ buildIds, findings, arns }) {
  const builds = chunks(buildIds, 100).map((ids) =>
    call(
      env.AWS_ENDPOINT_URL_CODEBUILD,
      'codebuild',
      region,
      '/',
      { 'x-amz-target': 'CodeBuild_20161006.BatchGetBuilds', 'content-type': 'application/x-amz-json-1.1' },
      { ids },
    ),
  );
  const found = chunks(findings, 25).map((findingIdentifiers) =>
    call(env.AWS_ENDPOINT_URL_CODEGURU_SECURITY, 'codeguru-security', region, '/batchGetFindings', {}, { findingIdentifiers }),
  );
  const byRegion = new Map();
  for (const arn of arns) byRegion.set(arn.split(':')[3], [...(byRegion.get(arn.split(':')[3]) ?? []), arn]);
  const details = [...byRegion].flatMap(([arnRegion, batch]) =>
    chunks(batch, 10).map((findingArns) =>
      call(env.AWS_ENDPOINT_URL_INSPECTOR2, 'inspector2', arnRegion, '/findings/details/batch/get', {}, { findingArns }),
    ),
  );
  const [b, f, d] = await Promise.all([Promise.all(builds), Promise.all(found), Promise.all(details)]);
  return {
    builds: b.flatMap((output) => output.builds ?? []),
    findings: f.flatMap((output) => output.findings ?? []),
    findingDetails: d.flatMap((output) => output.findingDetails ?? []),
  };
}

/** node:http: the thin selection picked out by hand, one JSON.stringify. */
async function answer(variables) {
  const { builds, findings, findingDetails } = await fetchAll(variables);
  return {
    data: {
      builds: builds.map((build) => ({
        id: build.id,
        buildNumber: build.buildNumber ?? null,
        buildStatus: build.buildStatus ?? null,
        projectName: build.projectName ?? null,
        startTime: iso(build.startTime),
        endTime: iso(build.endTime),
        currentPhase: build.currentPhase ?? null,
        sourceVersion: build.sourceVersion ?? null,
      })),
      findings: findings.map((finding) => ({
        scanName: finding.scanName ?? null,
        id: finding.id ?? null,
        title: finding.title ?? null,
        severity: finding.severity ?? null,
        status: finding.status ?? null,
        createdAt: iso(finding.createdAt),
      })),
      findingDetails: findingDetails.map((detail) => ({
        findingArn: detail.findingArn,
        riskScore: detail.riskScore ?? null,
        epssScore: detail.epssScore ?? null,
        cwes: detail.cwes ?? null,
      })),
    },
  };
}

if (env.MIXED_FLOOR === 'apollo') {
  // The same calls behind Apollo Server: graphql-js executes the query's selection over the parsed answers.
  const { ApolloServer } = await import('@apollo/server');
  const { startStandaloneServer } = await import('@apollo/server/standalone');
  const typeDefs = `
    type Build { id: ID! buildNumber: Float buildStatus: String projectName: String startTime: String endTime: String currentPhase: String sourceVersion: String }
    type Finding { scanName: String id: String title: String severity: String status: String createdAt: String }
    type FindingDetail { findingArn: ID riskScore: Int epssScore: Float cwes: [String] }
    input FindingIdentifier { scanName: String! findingId: String! }
    type Query { builds(ids: [ID!]!): [Build] findings(identifiers: [FindingIdentifier!]!): [Finding] findingDetails(findingArns: [ID!]!): [FindingDetail] }`;
  const server = new ApolloServer({
    typeDefs,
    resolvers: {
      Query: {
        builds: async (_, { ids }) => (await fetchAll({ buildIds: ids, findings: [], arns: [] })).builds,
        findings: async (_, { identifiers }) => (await fetchAll({ buildIds: [], findings: identifiers, arns: [] })).findings,
        findingDetails: async (_, { findingArns }) => (await fetchAll({ buildIds: [], findings: [], arns: findingArns })).findingDetails,
      },
      Build: { startTime: (build) => iso(build.startTime), endTime: (build) => iso(build.endTime) },
      Finding: { createdAt: (finding) => iso(finding.createdAt) },
    },
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  process.stdout.write(`URL ${url}\n`);
} else {
  const server = createServer((incoming, response) => {
    const parts = [];
    incoming.on('data', (chunk) => parts.push(chunk));
    incoming.on('end', () => {
      const { variables } = JSON.parse(Buffer.concat(parts).toString('utf8'));
      answer(variables).then(
        (result) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
        (error) =>
          response.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] })),
      );
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`URL http://127.0.0.1:${server.address().port}/\n`));
}
process.once('SIGTERM', () => process.exit(0));
