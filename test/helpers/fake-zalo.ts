// A fake Zalo OA Open API + OAuth server on 127.0.0.1 following the documented shapes:
// HTTP 200 with { error, message, data }, `access_token` header, single-use refresh tokens,
// file uploads as multipart `file` answering a token for a `file` attachment.
import { createHash } from "node:crypto";
import type { Server } from "node:http";
import express from "express";
import multer from "multer";

export interface ZaloCall {
  path: string;
  token?: string;
  /** The token was the current one when the call arrived (a later refresh does not change it). */
  validToken: boolean;
  body: Record<string, unknown>;
}

export class FakeZalo {
  readonly calls: ZaloCall[] = [];
  /** Files and images uploaded, by the token or attachment id each was answered with. */
  readonly uploads = new Map<string, { filename: string; bytes: Buffer }>();
  /** Files people "sent" the OA, served at their attachment URL. */
  readonly hosted = new Map<string, Buffer>();
  /** When set, uploads answer this Zalo error (an OA whose package cannot send files). */
  uploadError?: { error: number; message: string };
  refreshes = 0;
  /** Delay before answering a cs message (a slow Zalo). */
  delayMs = 0;
  /** When set, cs messages answer this HTTP status (an outage) instead of Zalo's JSON. */
  httpStatus?: number;
  private accessToken = "at-0";
  private refreshToken = "rt-0";
  private readonly failures: { match: (body: Record<string, unknown>) => boolean; error: number; message: string }[] = [];
  private server?: Server;
  base = "";

  constructor(readonly appSecret = "app-secret") {}

  /** Seeds the token pair Zalo considers current (as after the admin's consent). */
  seed(access: string, refresh: string): void {
    this.accessToken = access;
    this.refreshToken = refresh;
  }

  get currentRefreshToken(): string {
    return this.refreshToken;
  }

  expireAccessToken(): void {
    this.accessToken = `${this.accessToken}-revoked`;
  }

  /** The next cs message matching `match` fails with this error code. */
  failNext(error: number, message: string, match: (body: Record<string, unknown>) => boolean = () => true): void {
    this.failures.push({ match, error, message });
  }

  async start(): Promise<void> {
    const app = express();
    app.use(express.json());
    app.use(express.urlencoded({ extended: false }));
    app.post("/v4/oa/access_token", async (req, res) => {
      await new Promise((r) => setTimeout(r, 50)); // a real round trip, so races overlap
      if (req.header("secret_key") !== this.appSecret) return void res.json({ error: -14001, error_name: "invalid secret" });
      if (req.body.grant_type !== "refresh_token" || req.body.refresh_token !== this.refreshToken) {
        return void res.json({ error: -14020, error_name: "Invalid refresh token", error_description: "refresh token is used or expired" });
      }
      this.refreshes++;
      this.accessToken = `at-${this.refreshes}`;
      this.refreshToken = `rt-${this.refreshes}`;
      res.json({ access_token: this.accessToken, refresh_token: this.refreshToken, expires_in: "90000" });
    });
    app.post("/v3.0/oa/message/cs", async (req, res) => {
      const token = req.header("access_token");
      const body = req.body as Record<string, unknown>;
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      this.calls.push({ path: req.path, token, validToken: token === this.accessToken, body });
      if (this.httpStatus) return void res.status(this.httpStatus).send("upstream error");
      if (token !== this.accessToken) return void res.json({ error: -216, message: "Access token is invalid" });
      const i = this.failures.findIndex((f) => f.match(body));
      if (i >= 0) {
        const [f] = this.failures.splice(i, 1);
        return void res.json({ error: f!.error, message: f!.message });
      }
      res.json({
        error: 0,
        message: "Success",
        data: { message_id: `m${this.calls.length}`, user_id: (body.recipient as { user_id: string }).user_id },
      });
    });
    app.get("/files/:name", (req, res) => {
      const bytes = this.hosted.get(req.params.name);
      if (!bytes) return void res.status(404).send("expired");
      res.type("application/octet-stream").send(bytes);
    });
    app.post("/v2.0/oa/upload/image", multer({ storage: multer.memoryStorage() }).single("file"), (req, res) => {
      if (req.header("access_token") !== this.accessToken) return void res.json({ error: -216, message: "Access token is invalid" });
      if (!req.file || req.file.size > 1024 * 1024) return void res.json({ error: -201, message: "image is missing or larger than 1 MB" });
      const id = `img-${this.uploads.size + 1}`;
      this.uploads.set(id, { filename: req.file.originalname, bytes: req.file.buffer });
      res.json({ error: 0, message: "Success", data: { attachment_id: id } });
    });
    app.post("/v2.0/oa/upload/file", multer({ storage: multer.memoryStorage() }).single("file"), (req, res) => {
      if (req.header("access_token") !== this.accessToken) return void res.json({ error: -216, message: "Access token is invalid" });
      if (this.uploadError) return void res.json(this.uploadError);
      if (!req.file) return void res.json({ error: -201, message: "file is missing" });
      const token = `file-${this.uploads.size + 1}`;
      this.uploads.set(token, { filename: req.file.originalname, bytes: req.file.buffer });
      res.json({ error: 0, message: "Success", data: { token } });
    });
    app.get("/v3.0/oa/user/detail", (req, res) => {
      const { user_id } = JSON.parse(String(req.query.data)) as { user_id: string };
      res.json({ error: 0, message: "Success", data: { user_id, display_name: "Người dùng Zalo", user_is_follower: true } });
    });
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, "127.0.0.1", () => resolve());
    });
    this.base = `http://127.0.0.1:${(this.server!.address() as { port: number }).port}`;
  }

  /** Messages delivered to one user (sent with the token valid then): text, plus button payloads when the message had buttons. */
  messagesTo(userId: string): { text?: string; buttons?: string[]; template?: string; file?: string; image?: string }[] {
    return this.calls
      .filter((c) => (c.body.recipient as { user_id: string }).user_id === userId && c.validToken)
      .map((c) => {
        const m = c.body.message as {
          text?: string;
          attachment?: {
            type: string;
            payload: { buttons?: { payload: string }[]; template_type?: string; token?: string; elements?: { attachment_id?: string }[] };
          };
        };
        return {
          text: m.text,
          file: m.attachment?.type === "file" ? m.attachment.payload.token : undefined,
          image: m.attachment?.payload.template_type === "media" ? m.attachment.payload.elements?.[0]?.attachment_id : undefined,
          buttons: m.attachment?.payload.buttons?.map((b) => b.payload),
          template: m.attachment?.payload.template_type,
        };
      });
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** Builds a webhook request as Zalo signs it: mac = sha256(app_id + raw body + timestamp + OA key). */
export function signedEvent(event: Record<string, unknown>, appId: string, oaKey: string, timestamp = Date.now()) {
  const body = { app_id: appId, timestamp: String(timestamp), ...event };
  const raw = JSON.stringify(body);
  const mac = createHash("sha256").update(`${appId}${raw}${timestamp}${oaKey}`).digest("hex");
  return { raw, signature: `mac=${mac}` };
}
