/** A refused API call: the HTTP status and the error code of the reply body. */
export class ApiCallError extends Error {
  readonly status: number;
  readonly code: string | undefined;

  constructor(method: string, path: string, status: number, body: string) {
    let code: string | undefined;
    try {
      code = (JSON.parse(body) as { code?: string }).code;
    } catch {
      code = undefined;
    }
    super(`${method} ${path} answered ${status}: ${body}`);
    this.name = 'ApiCallError';
    this.status = status;
    this.code = code;
  }
}
