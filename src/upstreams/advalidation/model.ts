import type { UpstreamIdentity } from '../../errors.js';

/** How errors, logs and metrics name Advalidation: `extensions.upstream`, the metric label, the message label. */
export const ADVALIDATION = { name: 'advalidation', label: 'Advalidation' } as const satisfies UpstreamIdentity;
