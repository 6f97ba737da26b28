/** An error the server answers with its own status code and message (401, 403, 404, 409…). */
export class HttpError extends Error {
  override name = 'HttpError';

  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}
