import type { Build } from '@aws-sdk/client-codebuild';
import { codebuildRoute } from '../upstreams/codebuild/emulator.js';
import { generateBuilds } from '../upstreams/codebuild/emulator-data.js';
import { codeguruSecurityRoute } from '../upstreams/codeguru-security/emulator.js';
import { generateFindings, type SeededFinding } from '../upstreams/codeguru-security/emulator-data.js';
import { inspector2Route } from '../upstreams/inspector2/emulator.js';
import { generateFindingDetails, type InspectorData } from '../upstreams/inspector2/emulator-data.js';
import type { Scan } from '../upstreams/advalidation/client.js';
import { AdvalidationEmulator } from '../upstreams/advalidation/emulator.js';
import { EMULATOR_API_KEY, generateScans } from '../upstreams/advalidation/emulator-data.js';
import { EMULATOR_CREDENTIALS } from './aws-wire.js';
import { Emulator } from './server.js';

/** The seeded records every emulated API serves; tests compare responses against these. */
export interface EmulatorData {
  builds: Build[];
  findings: SeededFinding[];
  inspector: InspectorData;
  scans: Scan[];
}

export function seedData(): EmulatorData {
  return {
    builds: generateBuilds(1200),
    findings: generateFindings(),
    inspector: generateFindingDetails(),
    scans: generateScans(),
  };
}

export class SeededEmulator extends Emulator {
  /** Advalidation's per-IP allowance can be tightened by tests. */
  readonly advalidation: AdvalidationEmulator;

  constructor(readonly data: EmulatorData = seedData()) {
    const advalidation = new AdvalidationEmulator(data.scans);
    super({ routes: [codebuildRoute(data.builds), codeguruSecurityRoute(data.findings), inspector2Route(data.inspector), advalidation.route()] });
    this.advalidation = advalidation;
  }

  /**
   * The environment that points the real clients at this emulator, exactly as an operator
   * points them at any endpoint: endpoint overrides plus credentials for the default chain.
   */
  environment(): Record<string, string> {
    return {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_CODEBUILD: this.url,
      AWS_ENDPOINT_URL_CODEGURU_SECURITY: this.url,
      AWS_ENDPOINT_URL_INSPECTOR2: this.url,
      ADVALIDATION_BASE_URL: this.url,
      ADVALIDATION_API_KEY: EMULATOR_API_KEY,
    };
  }
}
