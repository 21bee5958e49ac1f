import { spawnSync } from 'node:child_process';
import { round } from './stats.js';

/**
 * Measure 4: client CPU of a BatchGetBuilds answer through the product's lean client vs
 * JSON.parse of the same bytes, by bench/deserialize.ts in a child process of its own (its
 * measurement exactly; `npm run bench:deserialize` prints the same figures in full). Per
 * 100-build answer, so 1000 builds are 10 of them: the ratio is the same.
 */
export function measureClientCpu(rounds: number) {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/deserialize.ts'], {
    env: { ...process.env, BENCH_JSON: '1', BENCH_ROUNDS: String(rounds), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    encoding: 'utf8',
  });
  const line = /^BENCH_JSON (.*)$/m.exec(child.stdout ?? '');
  if (child.status !== 0 || !line) throw new Error(`bench/deserialize.ts failed: ${child.stderr}`);
  const { buildsBytes, codebuild } = JSON.parse(line[1]!) as { buildsBytes: number; codebuild: Record<string, number> };
  return {
    answerBytes: buildsBytes,
    per1000Builds: {
      jsonParseMs: round(10 * codebuild.parse!, 2),
      leanClientMs: round(10 * codebuild.leanClient!, 2),
      sdkClientMs: round(10 * codebuild.sdkClient!, 2),
    },
    leanRatio: round(codebuild.leanClient! / codebuild.parse!, 2),
    sdkRatio: round(codebuild.sdkClient! / codebuild.parse!, 2),
  };
}
