/** The public API's errors: a code the client can switch on, a message a person can read. */
const STATUS_BY_CODE = { UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, UNAVAILABLE: 503 } as const;

export type TApiErrorCode = keyof typeof STATUS_BY_CODE;

export function apiError(code: TApiErrorCode, message: string): Response {
  return Response.json({ error: { code, message } }, { status: STATUS_BY_CODE[code] });
}
