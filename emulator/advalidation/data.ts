import type { AdvalidationCheckResult, Scan } from '../../src/upstreams/advalidation/client.js';
import { EMULATOR_EPOCH } from '../core/clock.js';
import { Rng } from '../core/random.js';

/** The API key the emulator accepts (a test value; the demo and tests export it). */
export const EMULATOR_API_KEY = 'adv_emulator_test_key_0000000000000000';
export const FIRST_SCAN_ID = 7_000_001;

const CHECKS: Array<(rng: Rng) => AdvalidationCheckResult> = [
  (rng) => {
    const kb = rng.int(40, 400);
    return {
      name: 'Test_Display_Filesize',
      value: String(kb * 1000),
      valueFormatted: `${kb} KB`,
      valuePhrase: `File size is ${kb} KB`,
      result: kb > 300 ? 'fail' : kb > 150 ? 'warn' : 'pass',
      attributes: [{ name: 'limit', description: 'Maximum file size', value: '300 KB' }],
      extended: null,
    };
  },
  (rng) => {
    const seconds = (rng.int(500, 3500) / 100).toFixed(2);
    return {
      name: 'Test_Video_Duration',
      value: seconds,
      valueFormatted: `${seconds} seconds`,
      valuePhrase: `Video duration is ${seconds} seconds`,
      result: Number(seconds) > 30 ? 'warn' : 'pass',
      attributes: [{ name: 'maxDuration', description: 'Longest allowed duration', value: '30 s' }],
      extended: null,
    };
  },
  (rng) => {
    const version = rng.pick(['2.0', '3.0', '4.0', '4.2']);
    return {
      name: 'Test_Video_VastVersion',
      value: version,
      valueFormatted: `VAST ${version}`,
      valuePhrase: `VAST version is ${version}`,
      result: version === '2.0' ? 'fail' : 'pass',
      attributes: [],
      extended: { parser: 'vast-xml', strict: true },
    };
  },
  (rng) => {
    const secure = rng.bool(0.85);
    return {
      name: 'Test_Ssl_Compliance',
      value: secure,
      valueFormatted: secure ? 'Yes' : 'No',
      valuePhrase: secure ? 'All assets load over HTTPS' : 'Some assets load over plain HTTP',
      result: secure ? 'pass' : 'fail',
      attributes: [{ name: 'requests', description: 'Requests checked', value: String(rng.int(3, 60)) }],
      extended: null,
    };
  },
  (rng) => {
    const cpu = rng.int(5, 95);
    return {
      name: 'Test_Display_CpuUsage',
      value: cpu,
      valueFormatted: `${cpu}%`,
      valuePhrase: `Peak CPU usage is ${cpu}%`,
      result: cpu > 80 ? 'fail' : cpu > 60 ? 'warn' : 'pass',
      attributes: [{ name: 'threshold', description: 'Warn above', value: '60%' }],
      extended: null,
    };
  },
];

/**
 * Ids of scans that exist but belong to another account: the emulator answers 403 for them,
 * as Advalidation does when the key authenticates but may not read the object.
 */
export const FOREIGN_SCAN_IDS: readonly string[] = ['6999901', '6999902', '6999903'];

/**
 * Deterministic, realistic scans: most finished with checks, some queued, processing, failed
 * or cancelled; sequence types initial, manual and monitoring. As documented, `tests` exist
 * only for finished scans and never in a monitoring context (its nbIssues still counts them).
 * A few finished scans are inconclusive (a field only the vendor SDK shows). Dates come in the
 * formats Advalidation's "date" is seen in: mostly ISO-8601 UTC (the vendor's fixtures), also
 * with an offset (`+02:00`, `+0000`), zone-less ISO, MySQL's `YYYY-MM-DD HH:MM:SS`, date-only,
 * and now and then MySQL's zero date, which names no instant. `createdAt` is always zoned.
 */
type DateStyle = 'iso' | 'offset' | 'compact-offset' | 'mysql' | 'zoneless' | 'date';
const CREATED_STYLES: readonly DateStyle[] = ['iso', 'iso', 'offset', 'iso', 'compact-offset', 'iso'];
const OTHER_STYLES: readonly DateStyle[] = ['iso', 'mysql', 'zoneless', 'offset', 'iso', 'compact-offset'];

/** One instant as Advalidation might write it (zone-less styles are UTC wall-clock time). */
function wireDate(date: Date, style: DateStyle): string {
  const iso = date.toISOString();
  switch (style) {
    case 'iso':
      return iso;
    case 'offset':
      return `${new Date(date.getTime() + 2 * 3_600_000).toISOString().slice(0, 19)}+02:00`;
    case 'compact-offset':
      return `${iso.slice(0, 19)}+0000`;
    case 'mysql':
      return iso.slice(0, 19).replace('T', ' ');
    case 'zoneless':
      return iso.slice(0, 19);
    case 'date':
      return iso.slice(0, 10);
  }
}

export function generateScans(count = 1200, seed = 2024): Scan[] {
  const rng = new Rng(seed);
  const scans: Scan[] = [];
  for (let i = 0; i < count; i += 1) {
    const created = rng.dateBefore(EMULATOR_EPOCH, 30);
    const status =
      i % 20 === 7 ? 'queued' : i % 20 === 11 ? 'processing' : i % 40 === 13 ? 'failed' : i % 40 === 17 ? 'cancelled' : 'finished';
    const finished = status === 'finished' || status === 'failed' || status === 'cancelled';
    const finishedAt = finished ? new Date(created.getTime() + rng.int(5, 45) * 1000) : null;
    const checks = status === 'finished' ? CHECKS.map((check) => check(rng)) : null;
    const updatedAt = finishedAt ? finishedAt.toISOString() : rng.bool() ? null : created.toISOString();
    const sequenceType = rng.pick(['initial', 'initial', 'manual', 'monitoring']);
    const inconclusive = status === 'finished' && i % 50 === 29;
    const otherStyle = OTHER_STYLES[(i * 7) % OTHER_STYLES.length]!;
    let updated = updatedAt === null ? null : wireDate(new Date(updatedAt), i % 13 === 4 ? 'date' : otherStyle);
    if (updated !== null && i % 97 === 5) updated = '0000-00-00 00:00:00';
    scans.push({
      id: FIRST_SCAN_ID + i,
      createdAt: wireDate(created, CREATED_STYLES[i % CREATED_STYLES.length]!),
      updatedAt: updated,
      finishedAt: finishedAt ? wireDate(finishedAt, otherStyle) : null,
      sequenceType,
      nbIssues: checks ? checks.filter((test) => test.result !== 'pass').length : null,
      processingStatus: status,
      tests: sequenceType === 'monitoring' ? null : checks,
      isInconclusive: status === 'finished' ? inconclusive : null,
      inconclusiveReason: inconclusive ? 'The creative did not finish loading within the time limit' : null,
    });
  }
  return scans;
}
