import { defineUpstreamEmulator } from '../core/upstream.js';
import { generateFindingDetails } from './data.js';
import { inspector2Examples } from './examples.js';
import { emulateInspector2 } from './route.js';

export const inspector2Emulator = defineUpstreamEmulator({
  api: 'inspector2',
  dataKey: 'inspector',
  seed: () => generateFindingDetails(),
  emulate: emulateInspector2,
  environment: (url) => ({ AWS_ENDPOINT_URL_INSPECTOR2: url }),
  examples: inspector2Examples,
});
