export interface GatewayResponse<T> {
  status: number;
  body: {
    data?: T | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string; serviceName?: string } }>;
  };
}

/** One GraphQL POST, as a client would send it: `token` goes in `Authorization: Bearer`, absent means no header at all. */
export async function post<T>(url: string, query: string, token?: string): Promise<GatewayResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as GatewayResponse<T>['body'] };
}
