import { SignJWT } from 'jose';

/** A test-only HS256 key: the gateway verifies with the same one (an inline signing key provider). */
export const JWT_SIGNING_KEY = 'hive-gateway-compat-test-signing-key-not-a-secret';

/** The scope the SDL's `@requiresScopes(scopes: [["codebuild:read-sensitive"]])` asks for. */
export const SENSITIVE_SCOPE = 'codebuild:read-sensitive';

/** A JWT as an identity provider would issue it: `scope` space-separated (OAuth 2), which generic auth reads by default. */
export async function signToken(scopes: readonly string[], key: string = JWT_SIGNING_KEY): Promise<string> {
  return new SignJWT({ scope: scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('compat-test-user')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(key));
}
