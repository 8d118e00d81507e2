// A client error: answered with its status and message by the app's error handler (app.ts).
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
