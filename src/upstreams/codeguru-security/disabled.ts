import { ErrorCode, SubgraphError } from '../../errors.js';
import { CODEGURU_SECURITY, type CodeGuruSecurityApi } from './model.js';
import { CODEGURU_SECURITY_END_OF_SUPPORT } from './regions.js';

/**
 * CodeGuru Security switched off (`CODEGURU_SECURITY=off`): the API answers nothing, and the
 * loader answers every finding with this one error before any call is made (the discovery
 * fields check `disabled` first too, so their calls below are never reached).
 */
export function disabledCodeGuruSecurityApi(): CodeGuruSecurityApi {
  const disabled = new SubgraphError(
    ErrorCode.UPSTREAM_ERROR,
    `Amazon CodeGuru Security is switched off in this subgraph (CODEGURU_SECURITY=off): AWS ended support for the service on ${CODEGURU_SECURITY_END_OF_SUPPORT}, so findings cannot be looked up.`,
    { upstream: CODEGURU_SECURITY },
  );
  return {
    disabled,
    batchGetFindings: () => Promise.reject(disabled.forKey()),
    listScans: () => Promise.reject(disabled.forKey()),
    getFindings: () => Promise.reject(disabled.forKey()),
  };
}
