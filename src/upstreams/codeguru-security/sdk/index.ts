/**
 * Stands in for `@aws-sdk/client-codeguru-security`, which is no longer published. Same export
 * names and call shape: replace this import with the package's to switch.
 */
export * from './client.js';
export * from './commands.js';
export * from './errors.js';
export * from './model.js';
// As a generated client exports its schemas (the lean deserializer is built from this one's).
export { BatchGetFindingsResponse$ } from './schemas.js';
export { defaultEndpointResolver, type EndpointParameters } from './endpoint/resolver.js';
export { resolveClientEndpoint, resolveCodeGuruSecurityEndpoint } from './endpoint/client-endpoint.js';
