import { defineUpstreamEmulator } from '../core/upstream.js';
import { generateFindings } from './data.js';
import { codeguruSecurityExamples } from './examples.js';
import { emulateCodeguruSecurity } from './route.js';

export const codeguruSecurityEmulator = defineUpstreamEmulator({
  api: 'codeguru-security',
  dataKey: 'findings',
  seed: () => generateFindings(),
  emulate: emulateCodeguruSecurity,
  environment: (url) => ({ AWS_ENDPOINT_URL_CODEGURU_SECURITY: url }),
  examples: codeguruSecurityExamples,
});
