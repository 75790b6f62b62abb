/**
 * The web's errors: a code the client can switch on, a message a person can read. API routes
 * answer them as JSON with the code's HTTP status; form actions show their message in the form.
 */
const HTTP_STATUS_OF_CODE = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  BUSY: 503,
} as const;

export type TAppErrorCode = keyof typeof HTTP_STATUS_OF_CODE;

export class AppError extends Error {
  constructor(
    readonly code: TAppErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AppError";
  }

  get httpStatus(): number {
    return HTTP_STATUS_OF_CODE[this.code];
  }
}

export function httpStatusOf(code: TAppErrorCode): number {
  return HTTP_STATUS_OF_CODE[code];
}

/** The JSON body of every error the API answers. */
export function errorBody(code: TAppErrorCode, message: string) {
  return { error: { code, message } };
}

export function errorResponse(error: AppError, headers?: HeadersInit): Response {
  return Response.json(errorBody(error.code, error.message), { status: error.httpStatus, headers });
}

/** An API route handler: the AppErrors it throws are answered with their status; anything else stays a 500. */
export function apiRoute<TArgs extends unknown[]>(
  handler: (...args: TArgs) => Promise<Response>,
): (...args: TArgs) => Promise<Response> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof AppError) return errorResponse(error, { "cache-control": "no-store" });
      throw error;
    }
  };
}

/** A form action's work: an AppError it throws becomes the form's error message. */
export async function formAction<TState>(run: () => Promise<TState>): Promise<TState | { error: string }> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError) return { error: error.message };
    throw error;
  }
}

/** The value of a zod parse, or an INVALID_INPUT AppError with its first issue's message. */
export function parsedOrError<T>(
  parsed: { success: true; data: T } | { success: false; error: { issues: { message: string }[] } },
  fallback: string,
): T {
  if (parsed.success) return parsed.data;
  throw new AppError("INVALID_INPUT", parsed.error.issues[0]?.message ?? fallback);
}
