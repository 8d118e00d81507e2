// A fake Telegram Bot API server on 127.0.0.1: answers /bot<token>/<method> with the documented
// { ok, result } / { ok:false, error_code, description, parameters } shapes, records every call,
// and can be told to fail the next calls of a method (429 with retry_after, 403 blocked, …).
// Uploads (sendDocument with a file) come as multipart/form-data: each file is kept in the
// call's payload, under the field it fills, as { filename, bytes }.
import type { Server } from "node:http";
import express from "express";
import multer from "multer";

export interface Call {
  method: string;
  payload: Record<string, unknown>;
  at: number;
  /** What the fake answered with (undefined for injected failures). */
  result?: unknown;
}

type Failure = { error_code: number; description: string; parameters?: Record<string, unknown> };

export const BOT_INFO = {
  id: 777000111,
  is_bot: true as const,
  first_name: "Cuộc thi",
  username: "cuocthi_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

export class FakeTelegram {
  readonly calls: Call[] = [];
  private readonly failures = new Map<string, Failure[]>();
  /** When set, every call fails this way (an outage), after `delayMs`. */
  outage?: Failure;
  delayMs = 0;
  /** Told of every call once answered (the benchmark waits on replies per chat). */
  onCall?: (call: Call) => void;
  /** Keep no history (long benchmarks); `onCall` still sees every call. */
  keepCalls = true;
  private nextMessageId = 100;
  /** Files people "sent" the bot, by file_id: served by getFile and the file URL. */
  readonly files = new Map<string, Buffer>();
  private server?: Server;
  apiRoot = "";

  async start(): Promise<void> {
    const app = express();
    app.use(express.json());
    app.use(express.urlencoded({ extended: true }));
    app.get("/file/bot:token/documents/:fileId", (req, res) => {
      const bytes = this.files.get(req.params.fileId);
      if (!bytes) return void res.status(404).json({ ok: false, error_code: 404, description: "Not Found" });
      res.type("application/octet-stream").send(bytes);
    });
    app.post("/bot:token/:method", multer({ storage: multer.memoryStorage() }).any(), async (req, res) => {
      const method = String(req.params.method);
      const payload = { ...(req.body ?? {}) } as Record<string, unknown>;
      // grammY names the file part randomly and puts "attach://<name>" in the field it fills.
      for (const file of (req.files ?? []) as Express.Multer.File[]) {
        const field = Object.keys(payload).find((k) => payload[k] === `attach://${file.fieldname}`) ?? file.fieldname;
        payload[field] = { filename: file.originalname, bytes: file.buffer };
      }
      const call: Call = { method, payload, at: Date.now() };
      if (this.keepCalls) this.calls.push(call);
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      const failure = this.outage ?? this.failures.get(method)?.shift();
      if (failure) {
        res.status(failure.error_code).json({ ok: false, ...failure });
        return;
      }
      call.result = this.result(method, payload);
      res.json({ ok: true, result: call.result });
      this.onCall?.(call);
    });
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, "127.0.0.1", () => resolve());
    });
    const address = this.server!.address() as { port: number };
    this.apiRoot = `http://127.0.0.1:${address.port}`;
  }

  private result(method: string, payload: Record<string, unknown>): unknown {
    switch (method) {
      case "getMe":
        return BOT_INFO;
      case "sendMessage":
      case "editMessageText":
        return {
          message_id: method === "sendMessage" ? this.nextMessageId++ : payload.message_id,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(payload.chat_id), type: "private" },
          text: payload.text,
        };
      case "getFile": {
        const id = String(payload.file_id);
        const bytes = this.files.get(id);
        return bytes
          ? { file_id: id, file_unique_id: `u-${id}`, file_size: bytes.length, file_path: `documents/${id}` }
          : { file_id: id, file_unique_id: `u-${id}` };
      }
      case "sendDocument":
        return {
          message_id: this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(payload.chat_id), type: "private" },
          caption: payload.caption,
          document: { file_id: `doc${this.nextMessageId}`, file_unique_id: `u${this.nextMessageId}` },
        };
      default:
        return true;
    }
  }

  failNext(method: string, ...failures: Failure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  sent(method = "sendMessage"): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Calls that succeeded: what reached the chat (sent() also lists refused tries). */
  delivered(method = "sendMessage"): Call[] {
    return this.sent(method).filter((c) => c.result !== undefined);
  }

  clear(): void {
    this.calls.length = 0;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
