/**
 * How the client authenticates, as the generated `auth/httpAuthSchemeProvider.js` does it: the
 * model's only scheme, `aws.auth#sigv4` with signing name `codeguru-security`, signed by the
 * SDK's AwsSdkSigV4Signer. That signer is what corrects clock skew: it signs with
 * `getSkewCorrectedDate(systemClockOffset)`, learns the offset from each response's Date
 * header (`getUpdatedSystemClockOffset`) and marks a skewed failure `clockSkewCorrected`, which
 * the retry middleware then retries, re-signed.
 */
import { AwsSdkSigV4Signer, resolveAwsSdkSigV4Config } from '@aws-sdk/core/httpAuthSchemes';
import { getSmithyContext, normalizeProvider } from '@smithy/core/client';
import type { HandlerExecutionContext, HttpAuthOption, HttpAuthScheme, HttpAuthSchemeParameters, Provider } from '@smithy/types';

export const SIGNING_NAME = 'codeguru-security';

export interface CodeGuruSecurityHttpAuthSchemeParameters extends HttpAuthSchemeParameters {
  region?: string;
}

export const defaultCodeGuruSecurityHttpAuthSchemeParametersProvider = async (
  config: { region: Provider<string> | string },
  context: HandlerExecutionContext,
): Promise<CodeGuruSecurityHttpAuthSchemeParameters> => ({
  operation: getSmithyContext(context).operation as string,
  region:
    (await normalizeProvider(config.region)()) ||
    (() => {
      throw new Error('expected `region` to be configured for `aws.auth#sigv4`');
    })(),
});

export const defaultCodeGuruSecurityHttpAuthSchemeProvider = (parameters: CodeGuruSecurityHttpAuthSchemeParameters): HttpAuthOption[] => [
  {
    schemeId: 'aws.auth#sigv4',
    signingProperties: { name: SIGNING_NAME, region: parameters.region },
    propertiesExtractor: (config, context) => ({ signingProperties: { config, context } }),
  },
];

export const defaultHttpAuthSchemes = (): HttpAuthScheme[] => [
  {
    schemeId: 'aws.auth#sigv4',
    identityProvider: (ipc) => ipc.getIdentityProvider('aws.auth#sigv4'),
    signer: new AwsSdkSigV4Signer(),
  },
];

export const resolveHttpAuthSchemeConfig = <T extends object>(config: T & { authSchemePreference?: string[] | Provider<string[]> }) =>
  Object.assign(resolveAwsSdkSigV4Config(config as never) as object, {
    authSchemePreference: normalizeProvider(config.authSchemePreference ?? []),
  });
