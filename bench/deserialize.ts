/**
 * `node --expose-gc --import tsx bench/deserialize.ts [--rss]`: what deserializing a large AWS
 * answer costs, the SDK's deserializer against the lean one (src/upstreams/aws/lean-deserializer.ts),
 * measured side by side in one run on the same bytes:
 *   1. CPU per 100-build BatchGetBuilds answer (the emulator's realistic builds, ~750 KB):
 *      JSON.parse alone, the codec's read (SDK / lean), and a whole client.send (SDK / lean
 *      client: serialize, sign, middleware, deserialize) against a canned HTTP response;
 *      the same for a 10-detail BatchGetFindingDetails answer;
 *   2. with --rss: peak RSS of a fresh built subgraph answering 1000 builds with every field
 *      (3 queries, 10 calls each), AWS_LEAN_DESERIALIZER=false and true, against the emulator
 *      in its own process: BENCH_RSS_RUNS (5) fresh processes each, median and range;
 *      BENCH_NODE_OPTIONS for those processes only, BENCH_NO_BUILD=1 to reuse dist/.
 * BENCH_JSON=1 adds a machine-readable line (`npm run bench` reads it).
 * Variants run interleaved, round after round, so machine load hits them alike; the figure is
 * each variant's median over rounds. BENCH_ROUNDS (15), BENCH_ITERATIONS (10) per round.
 */
import { spawnSync } from 'node:child_process';
import { BatchGetBuildsCommand, BatchGetBuildsOutput$, CodeBuildClient } from '@aws-sdk/client-codebuild';
import { BatchGetFindingDetailsCommand, BatchGetFindingDetailsResponse$, Inspector2Client } from '@aws-sdk/client-inspector2';
import { AwsJson1_1Protocol, AwsRestJsonProtocol } from '@aws-sdk/core/protocols';
import { NormalizedSchema } from '@smithy/core/schema';
import { HttpResponse } from '@smithy/protocol-http';
import type { StaticStructureSchema } from '@smithy/types';
import { generateBuilds } from '../emulator/codebuild/data.js';
import { toAwsJson } from '../emulator/core/aws-wire.js';
import { seedData } from '../emulator/index.js';
import { withLeanDeserializer } from '../src/upstreams/aws/lean-deserializer.js';
import { EmulatorProcess } from '../testkit/emulator-process.js';
import { selectAll } from '../testkit/selection.js';
import { BUILD } from './entities.js';
import { startServerProcess } from './processes.js';

// Set before any client is made: the bench measures, it need not be told about Node versions.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 10);
const gc = (globalThis as { gc?: () => void }).gc;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** CPU ms per run of each variant: interleaved rounds, garbage collected between variants (each pays for its own garbage inside its round). */
async function measure(variants: Record<string, () => unknown>): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let round = -2; round < ROUNDS; round += 1) {
    for (const [name, run] of Object.entries(variants)) {
      gc?.();
      const before = process.cpuUsage();
      for (let i = 0; i < ITERATIONS; i += 1) await run();
      const used = process.cpuUsage(before);
      if (round >= 0) samples[name]!.push((used.user + used.system) / 1000 / ITERATIONS);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

/** Answers every request with the same bytes (a fresh copy: the SDK may re-type the buffer it reads). */
class CannedHandler {
  constructor(
    private readonly body: Buffer,
    private readonly contentType: string,
  ) {}
  async handle() {
    const headers = { 'content-type': this.contentType, 'x-amzn-requestid': 'bench' };
    return { response: new HttpResponse({ statusCode: 200, headers, body: Buffer.from(this.body) }) };
  }
  updateHttpClientConfig() {}
  httpHandlerConfigs() {
    return {};
  }
  destroy() {}
}

const clientOptions = (handler: CannedHandler) => ({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  maxAttempts: 1,
  requestHandler: handler as never,
});

function codecs(Protocol: typeof AwsJson1_1Protocol | typeof AwsRestJsonProtocol, output: StaticStructureSchema, settings: object) {
  const P = Protocol as typeof AwsJson1_1Protocol;
  const Lean = withLeanDeserializer(P, [output]);
  return {
    sdk: new P(settings as never).getPayloadCodec().createDeserializer(),
    lean: new Lean(settings as never).getPayloadCodec().createDeserializer(),
    schema: NormalizedSchema.of(output),
  };
}

const row = (label: string, ms: number, parse: number) =>
  `  ${label.padEnd(34)} ${ms.toFixed(2).padStart(7)} ms  ${(ms / parse).toFixed(2)}× JSON.parse`;

// 1a. CodeBuild: 100 builds per answer, the model's maximum per call.
const buildsBody = Buffer.from(`{"builds":[${generateBuilds(100).map(toAwsJson).join(',')}],"buildsNotFound":[]}`);
const cb = codecs(AwsJson1_1Protocol, BatchGetBuildsOutput$, {
  defaultNamespace: 'com.amazonaws.codebuild',
  serviceTarget: 'CodeBuild_20161006',
});
const cbSdkClient = new CodeBuildClient(clientOptions(new CannedHandler(buildsBody, 'application/x-amz-json-1.1')));
const cbLeanClient = new CodeBuildClient({
  ...clientOptions(new CannedHandler(buildsBody, 'application/x-amz-json-1.1')),
  protocol: withLeanDeserializer(AwsJson1_1Protocol, [BatchGetBuildsOutput$]),
});
for (const client of [cbSdkClient, cbLeanClient]) client.middlewareStack.remove('loggerMiddleware'); // as the product's clients
const ids = ['p:1'];
const codebuild = await measure({
  parse: () => JSON.parse(buildsBody as unknown as string),
  sdkRead: () => cb.sdk.read(cb.schema, buildsBody as never),
  leanRead: () => cb.lean.read(cb.schema, buildsBody as never),
  sdkClient: () => cbSdkClient.send(new BatchGetBuildsCommand({ ids })),
  leanClient: () => cbLeanClient.send(new BatchGetBuildsCommand({ ids })),
});

// 1b. Inspector: 10 finding details per answer, the model's maximum per call.
const detailsBody = Buffer.from(`{"findingDetails":[${seedData().inspector.details.slice(0, 10).map(toAwsJson).join(',')}],"errors":[]}`);
const i2 = codecs(AwsRestJsonProtocol, BatchGetFindingDetailsResponse$, { defaultNamespace: 'com.amazonaws.inspector2' });
const i2SdkClient = new Inspector2Client(clientOptions(new CannedHandler(detailsBody, 'application/json')));
const i2LeanClient = new Inspector2Client({
  ...clientOptions(new CannedHandler(detailsBody, 'application/json')),
  protocol: withLeanDeserializer(AwsRestJsonProtocol, [BatchGetFindingDetailsResponse$]),
});
for (const client of [i2SdkClient, i2LeanClient]) client.middlewareStack.remove('loggerMiddleware');
const arns = ['arn:aws:inspector2:us-east-1:123456789012:finding/f'];
const inspector = await measure({
  parse: () => JSON.parse(detailsBody as unknown as string),
  sdkRead: () => i2.sdk.read(i2.schema, detailsBody as never),
  leanRead: () => i2.lean.read(i2.schema, detailsBody as never),
  sdkClient: () => i2SdkClient.send(new BatchGetFindingDetailsCommand({ findingArns: arns })),
  leanClient: () => i2LeanClient.send(new BatchGetFindingDetailsCommand({ findingArns: arns })),
});

const report = (title: string, bytes: number, m: Record<string, number>) =>
  [
    `${title} (${(bytes / 1024).toFixed(0)} KB)`,
    row('JSON.parse alone', m.parse!, m.parse!),
    row('codec read, SDK', m.sdkRead!, m.parse!),
    row('codec read, lean', m.leanRead!, m.parse!),
    row('client.send, SDK', m.sdkClient!, m.parse!),
    row('client.send, lean', m.leanClient!, m.parse!),
    `  lean client.send saves ${(m.sdkClient! - m.leanClient!).toFixed(2)} ms per call (${((1 - m.leanClient! / m.sdkClient!) * 100).toFixed(0)}%)`,
  ].join('\n');
console.log(
  `CPU per answer, median of ${ROUNDS} interleaved rounds × ${ITERATIONS} (node ${process.version}${gc ? '' : ', no --expose-gc'})`,
);
console.log(report('BatchGetBuilds, 100 builds', buildsBody.length, codebuild));
console.log(
  `  1000 builds (10 calls): SDK ${(10 * codebuild.sdkClient!).toFixed(1)} ms, lean ${(10 * codebuild.leanClient!).toFixed(1)} ms, ` +
    `JSON.parse ${(10 * codebuild.parse!).toFixed(1)} ms: lean = ${(codebuild.leanClient! / codebuild.parse!).toFixed(2)}× JSON.parse (target ≤ 2×)`,
);
console.log(report('BatchGetFindingDetails, 10 details', detailsBody.length, inspector));
// For `npm run bench`, which runs this script in a child process and reads this one line.
if (process.env.BENCH_JSON) console.log(`BENCH_JSON ${JSON.stringify({ buildsBytes: buildsBody.length, codebuild, inspector })}`);

// 2. Peak RSS of the built subgraph answering 1000 builds, lean off and on.
if (process.argv.includes('--rss')) {
  if (!process.env.BENCH_NO_BUILD) {
    const build = spawnSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const emulator = await EmulatorProcess.start();
  const base = {
    ...process.env,
    ...emulator.environment,
    PORT: '0',
    HOST: '127.0.0.1',
    METRICS_PORT: '0',
    LOG_LEVEL: 'info',
    SENSITIVE_FIELDS: 'allow',
    MAX_KEYS_PER_LIST: '1000',
    MAX_KEYS_PER_REQUEST: '5000',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // V8 heap settings to try on the measured processes only (e.g. --max-semi-space-size=4).
    NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '',
  };
  const body = JSON.stringify({
    query: `query($ids: [ID!]!) { builds(ids: $ids) ${selectAll('Build')} }`,
    variables: { ids: BUILD.keys(seedData(), 1000) },
  });
  // A peak RSS moves with GC timing: several fresh processes per variant, alternating.
  const runs = Number(process.env.BENCH_RSS_RUNS ?? 5);
  const peaks: Record<string, number[]> = { false: [], true: [] };
  let bytes = 0;
  for (let run = 0; run < runs; run += 1) {
    for (const lean of ['false', 'true']) {
      const server = await startServerProcess('dist/main.js', { ...base, AWS_LEAN_DESERIALIZER: lean }, /"url":"(http:[^"]+)"/);
      for (let query = 0; query < 3; query += 1) {
        const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        bytes = (await response.arrayBuffer()).byteLength;
      }
      peaks[lean]!.push(server.peakRssMb());
      await server.stop();
    }
  }
  emulator.stop();
  const summary = (values: number[]) =>
    `median ${median(values).toFixed(1)} MB (${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)})`;
  console.log(
    `Peak RSS, fresh built subgraph, 1000 builds, every field (${(bytes / 1e6).toFixed(1)} MB response, 3 queries), ${runs} processes each`,
  );
  console.log(`  AWS_LEAN_DESERIALIZER=false  ${summary(peaks.false!)}`);
  console.log(`  AWS_LEAN_DESERIALIZER=true   ${summary(peaks.true!)}  (target ≤ 150)`);
  if (process.env.BENCH_NODE_OPTIONS) console.log(`  node options of the measured processes: ${process.env.BENCH_NODE_OPTIONS}`);
}
