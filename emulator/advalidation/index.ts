import { defineUpstreamEmulator } from '../core/upstream.js';
import { EMULATOR_API_KEY, generateScans } from './data.js';
import { advalidationExamples } from './examples.js';
import { emulateAdvalidation } from './route.js';

export const advalidationEmulator = defineUpstreamEmulator({
  api: 'advalidation',
  dataKey: 'scans',
  seed: () => generateScans(),
  emulate: emulateAdvalidation,
  environment: (url) => ({ ADVALIDATION_BASE_URL: url, ADVALIDATION_API_KEY: EMULATOR_API_KEY }),
  examples: advalidationExamples,
});
