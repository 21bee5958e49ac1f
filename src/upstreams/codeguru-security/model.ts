import type { UpstreamIdentity } from '../../errors.js';

/** How errors, logs and metrics name Amazon CodeGuru Security: `extensions.upstream`, the metric label, the message label. */
export const CODEGURU_SECURITY = { name: 'codeguru-security', label: 'Amazon CodeGuru Security' } as const satisfies UpstreamIdentity;
