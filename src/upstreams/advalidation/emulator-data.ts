import { Rng } from '../../emulator/random.js';
import { EMULATOR_EPOCH } from '../codebuild/emulator-data.js';
import type { CheckResult, Scan } from './client.js';

/** The API key the emulator accepts (a test value; the demo and tests export it). */
export const EMULATOR_API_KEY = 'adv_emulator_test_key_0000000000000000';
export const FIRST_SCAN_ID = 7_000_001;

const CHECKS: Array<(rng: Rng) => CheckResult> = [
  (rng) => {
    const kb = rng.int(40, 400);
    return { name: 'Test_Display_Filesize', value: String(kb * 1000), valueFormatted: `${kb} KB`, valuePhrase: `File size is ${kb} KB`, result: kb > 300 ? 'fail' : kb > 150 ? 'warn' : 'pass', attributes: [{ name: 'limit', description: 'Maximum file size', value: '300 KB' }], extended: null };
  },
  (rng) => {
    const seconds = (rng.int(500, 3500) / 100).toFixed(2);
    return { name: 'Test_Video_Duration', value: seconds, valueFormatted: `${seconds} seconds`, valuePhrase: `Video duration is ${seconds} seconds`, result: Number(seconds) > 30 ? 'warn' : 'pass', attributes: [{ name: 'maxDuration', description: 'Longest allowed duration', value: '30 s' }], extended: null };
  },
  (rng) => {
    const version = rng.pick(['2.0', '3.0', '4.0', '4.2']);
    return { name: 'Test_Video_VastVersion', value: version, valueFormatted: `VAST ${version}`, valuePhrase: `VAST version is ${version}`, result: version === '2.0' ? 'fail' : 'pass', attributes: [], extended: { parser: 'vast-xml', strict: true } };
  },
  (rng) => {
    const secure = rng.bool(0.85);
    return { name: 'Test_Ssl_Compliance', value: secure, valueFormatted: secure ? 'Yes' : 'No', valuePhrase: secure ? 'All assets load over HTTPS' : 'Some assets load over plain HTTP', result: secure ? 'pass' : 'fail', attributes: [{ name: 'requests', description: 'Requests checked', value: String(rng.int(3, 60)) }], extended: null };
  },
  (rng) => {
    const cpu = rng.int(5, 95);
    return { name: 'Test_Display_CpuUsage', value: cpu, valueFormatted: `${cpu}%`, valuePhrase: `Peak CPU usage is ${cpu}%`, result: cpu > 80 ? 'fail' : cpu > 60 ? 'warn' : 'pass', attributes: [{ name: 'threshold', description: 'Warn above', value: '60%' }], extended: null };
  },
];

/**
 * Deterministic, realistic scans: most finished with checks, some queued, processing, failed
 * or cancelled; sequence types initial, manual and monitoring. Dates are ISO-8601 UTC strings,
 * as the vendor's fixtures show.
 */
export function generateScans(count = 1200, seed = 2024): Scan[] {
  const rng = new Rng(seed);
  const scans: Scan[] = [];
  for (let i = 0; i < count; i += 1) {
    const created = rng.dateBefore(EMULATOR_EPOCH, 30);
    const status = i % 20 === 7 ? 'queued' : i % 20 === 11 ? 'processing' : i % 40 === 13 ? 'failed' : i % 40 === 17 ? 'cancelled' : 'finished';
    const finished = status === 'finished' || status === 'failed' || status === 'cancelled';
    const finishedAt = finished ? new Date(created.getTime() + rng.int(5, 45) * 1000) : null;
    const tests = status === 'finished' ? CHECKS.map((check) => check(rng)) : null;
    scans.push({
      id: FIRST_SCAN_ID + i,
      createdAt: created.toISOString(),
      updatedAt: finishedAt ? finishedAt.toISOString() : rng.bool() ? null : created.toISOString(),
      finishedAt: finishedAt?.toISOString() ?? null,
      sequenceType: rng.pick(['initial', 'initial', 'manual', 'monitoring']),
      nbIssues: tests ? tests.filter((test) => test.result !== 'pass').length : null,
      processingStatus: status,
      tests,
    });
  }
  return scans;
}
