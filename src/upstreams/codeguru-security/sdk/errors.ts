/**
 * CodeGuru Security's modeled errors (those of BatchGetFindings, ListScans and GetFindings) as a generated client declares them
 * (`models/errors.js`): subclasses of the Smithy ServiceException with the model's members,
 * `$fault` from `@error` and `$retryable` from `@retryable`, so the SDK's retry classification
 * and the subgraph's error mapping treat them as they would the real client's. The protocol
 * (AwsRestJsonProtocol) picks the class through the registry in ./schemas.ts.
 */
import { ServiceException, type ServiceExceptionOptions } from '@smithy/core/client';

type Options<T> = Omit<ServiceExceptionOptions, 'name' | '$fault'> & Partial<T>;

export class CodeGuruSecurityServiceException extends ServiceException {
  constructor(options: ServiceExceptionOptions) {
    super(options);
    Object.setPrototypeOf(this, CodeGuruSecurityServiceException.prototype);
  }
}

export class AccessDeniedException extends CodeGuruSecurityServiceException {
  override readonly name = 'AccessDeniedException' as const;
  override readonly $fault = 'client' as const;
  errorCode: string | undefined;
  resourceId?: string;
  resourceType?: string;
  constructor(options: Options<AccessDeniedException>) {
    super({ name: 'AccessDeniedException', $fault: 'client', ...options });
    Object.setPrototypeOf(this, AccessDeniedException.prototype);
    this.errorCode = options.errorCode;
    this.resourceId = options.resourceId;
    this.resourceType = options.resourceType;
  }
}

export class InternalServerException extends CodeGuruSecurityServiceException {
  override readonly name = 'InternalServerException' as const;
  override readonly $fault = 'server' as const;
  /** `@retryable` in the model. */
  override $retryable = {};
  error?: string;
  constructor(options: Options<InternalServerException>) {
    super({ name: 'InternalServerException', $fault: 'server', ...options });
    Object.setPrototypeOf(this, InternalServerException.prototype);
    this.error = options.error;
  }
}

export class ThrottlingException extends CodeGuruSecurityServiceException {
  override readonly name = 'ThrottlingException' as const;
  override readonly $fault = 'client' as const;
  /** `@retryable(throttling: true)` in the model. */
  override $retryable = { throttling: true };
  errorCode: string | undefined;
  serviceCode?: string;
  quotaCode?: string;
  constructor(options: Options<ThrottlingException>) {
    super({ name: 'ThrottlingException', $fault: 'client', ...options });
    Object.setPrototypeOf(this, ThrottlingException.prototype);
    this.errorCode = options.errorCode;
    this.serviceCode = options.serviceCode;
    this.quotaCode = options.quotaCode;
  }
}

export class ValidationException extends CodeGuruSecurityServiceException {
  override readonly name = 'ValidationException' as const;
  override readonly $fault = 'client' as const;
  errorCode: string | undefined;
  reason: string | undefined;
  fieldList?: Array<{ name: string; message: string }>;
  constructor(options: Options<ValidationException>) {
    super({ name: 'ValidationException', $fault: 'client', ...options });
    Object.setPrototypeOf(this, ValidationException.prototype);
    this.errorCode = options.errorCode;
    this.reason = options.reason;
    this.fieldList = options.fieldList;
  }
}

/** Declared by GetFindings (and most operations but BatchGetFindings, which the service still answers with it). */
export class ResourceNotFoundException extends CodeGuruSecurityServiceException {
  override readonly name = 'ResourceNotFoundException' as const;
  override readonly $fault = 'client' as const;
  errorCode: string | undefined;
  resourceId: string | undefined;
  resourceType: string | undefined;
  constructor(options: Options<ResourceNotFoundException>) {
    super({ name: 'ResourceNotFoundException', $fault: 'client', ...options });
    Object.setPrototypeOf(this, ResourceNotFoundException.prototype);
    this.errorCode = options.errorCode;
    this.resourceId = options.resourceId;
    this.resourceType = options.resourceType;
  }
}

export class ConflictException extends CodeGuruSecurityServiceException {
  override readonly name = 'ConflictException' as const;
  override readonly $fault = 'client' as const;
  errorCode: string | undefined;
  resourceId: string | undefined;
  resourceType: string | undefined;
  constructor(options: Options<ConflictException>) {
    super({ name: 'ConflictException', $fault: 'client', ...options });
    Object.setPrototypeOf(this, ConflictException.prototype);
    this.errorCode = options.errorCode;
    this.resourceId = options.resourceId;
    this.resourceType = options.resourceType;
  }
}
