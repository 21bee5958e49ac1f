import { defineUpstreamEmulator } from '../core/upstream.js';
import { seedBuilds } from './data.js';
import { codebuildExamples } from './examples.js';
import { emulateCodebuild } from './route.js';

export const codebuildEmulator = defineUpstreamEmulator({
  api: 'codebuild',
  dataKey: 'builds',
  seed: seedBuilds,
  emulate: emulateCodebuild,
  environment: (url) => ({ AWS_ENDPOINT_URL_CODEBUILD: url }),
  examples: codebuildExamples,
});
