import type { UpstreamIdentity } from '../../errors.js';

/** How errors, logs and metrics name Amazon Inspector: `extensions.upstream`, the metric label, the message label. */
export const INSPECTOR2 = { name: 'inspector2', label: 'Amazon Inspector' } as const satisfies UpstreamIdentity;
