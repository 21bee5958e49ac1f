/**
 * Endpoint resolution as a generated client does it (`endpoint/endpointResolver.js`,
 * `EndpointParameters.js`): the model's rule set (./ruleset.ts) evaluated by Smithy's own rules
 * engine with the AWS functions (`aws.partition`: partitions and their DNS suffixes), so
 * cn-north-1 gets `.amazonaws.com.cn`, AWS_USE_FIPS_ENDPOINT the `-fips` host,
 * AWS_USE_DUALSTACK_ENDPOINT `.api.aws`, and impossible combinations the rule set's errors.
 */
import { awsEndpointFunctions } from '@aws-sdk/core/client';
import { customEndpointFunctions, EndpointCache, resolveEndpoint } from '@smithy/core/endpoints';
import type {
  EndpointParameterInstructions,
  EndpointParameters as __EndpointParameters,
  EndpointV2,
  Logger,
  Provider,
} from '@smithy/types';
import { ruleSet } from './ruleset.js';

export interface EndpointParameters extends __EndpointParameters {
  Region?: string | undefined;
  UseDualStack?: boolean | undefined;
  UseFIPS?: boolean | undefined;
  Endpoint?: string | undefined;
}

export interface ClientInputEndpointParameters {
  region?: string | Provider<string>;
  useDualstackEndpoint?: boolean | Provider<boolean>;
  useFipsEndpoint?: boolean | Provider<boolean>;
  endpoint?: string | Provider<string>;
}

/** The generated defaults: both switches off unless configured, signing name from the model. */
export const resolveClientEndpointParameters = <T>(options: T & ClientInputEndpointParameters) =>
  Object.assign(options, {
    useDualstackEndpoint: options.useDualstackEndpoint ?? false,
    useFipsEndpoint: options.useFipsEndpoint ?? false,
    defaultSigningName: 'codeguru-security',
  });

/** Rule-set parameters bound to the client's built-in configuration, as in every AWS client. */
export const commonParams: EndpointParameterInstructions = {
  UseFIPS: { type: 'builtInParams', name: 'useFipsEndpoint' },
  Endpoint: { type: 'builtInParams', name: 'endpoint' },
  Region: { type: 'builtInParams', name: 'region' },
  UseDualStack: { type: 'builtInParams', name: 'useDualstackEndpoint' },
};

const cache = new EndpointCache({ size: 50, params: ['Endpoint', 'Region', 'UseDualStack', 'UseFIPS'] });

export const defaultEndpointResolver = (endpointParams: EndpointParameters, context: { logger?: Logger } = {}): EndpointV2 =>
  cache.get(endpointParams as never, () => resolveEndpoint(ruleSet, { endpointParams: endpointParams as never, logger: context.logger }));

// What generated clients do at module load: the rules engine learns the `aws.*` functions.
customEndpointFunctions.aws = awsEndpointFunctions;
