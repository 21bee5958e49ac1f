import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs. Anything that could hold a secret is redacted by path as a second line
 * of defence: the code never logs credentials or keys in the first place.
 */
export function createLogger(level = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'appsec-ci-subgraph' },
      redact: {
        paths: [
          'headers.authorization',
          'headers["x-api-key"]',
          'headers["router-authorization"]',
          '*.secretAccessKey',
          '*.sessionToken',
          '*.apiKey',
          'config.advalidation.apiKey',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? process.stdout,
  );
}
