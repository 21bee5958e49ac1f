import type { UpstreamIdentity } from '../../errors.js';

/** How errors, logs and metrics name AWS CodeBuild: `extensions.upstream`, the metric label, the message label. */
export const CODEBUILD = { name: 'codebuild', label: 'AWS CodeBuild' } as const satisfies UpstreamIdentity;
