// Zalo OA Open API client on axios: consultation messages (text, text with query buttons,
// request for user info), user profile. Failures come as HTTP 200 with error != 0; they are
// mapped here: expired token → refresh once and retry; rate limit → back off and retry;
// unreachable recipient → ZaloUnreachableError for the caller to record.
import axios, { type AxiosInstance } from "axios";
import type { Logger } from "../../logger.js";
import { BILLING_ERRORS, RATE_LIMIT_ERRORS, TOKEN_ERRORS, UNREACHABLE_ERRORS, ZALO } from "./protocol.js";
import type { ZaloTokens } from "./tokens.js";

export class ZaloApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(`Zalo API error ${code}: ${message}`);
  }
}

export class ZaloUnreachableError extends ZaloApiError {}

/** The OA cannot pay for the message (no Zalo Cloud Account, or out of credit). */
export class ZaloBillingError extends ZaloApiError {}

export interface ZaloButton {
  title: string;
  payload: string;
}

interface ZaloResponse<T> {
  error: number;
  message: string;
  data?: T;
}

const RATE_LIMIT_RETRIES = 3;

export class ZaloClient {
  private readonly http: AxiosInstance;

  constructor(
    apiBase: string,
    private readonly tokens: ZaloTokens,
    private readonly logger: Logger,
    private readonly backoffMs = 1_000,
  ) {
    this.http = axios.create({ baseURL: apiBase, timeout: 10_000 });
  }

  private async call<T>(request: (token: string) => Promise<ZaloResponse<T>>): Promise<T | undefined> {
    let token = await this.tokens.accessToken();
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const res = await request(token);
      if (res.error === 0) return res.data;
      if (TOKEN_ERRORS.has(res.error) && !refreshed) {
        refreshed = true;
        token = await this.tokens.refresh(token);
        continue;
      }
      if (RATE_LIMIT_ERRORS.has(res.error) && attempt < RATE_LIMIT_RETRIES) {
        this.logger.warn({ code: res.error, attempt }, "Zalo rate limit: backing off");
        await new Promise((r) => setTimeout(r, this.backoffMs * 2 ** attempt));
        continue;
      }
      const Err = UNREACHABLE_ERRORS.has(res.error)
        ? ZaloUnreachableError
        : BILLING_ERRORS.has(res.error)
          ? ZaloBillingError
          : ZaloApiError;
      throw new Err(res.error, res.message);
    }
  }

  private post<T>(path: string, body: unknown): Promise<T | undefined> {
    return this.call<T>(async (token) => (await this.http.post<ZaloResponse<T>>(path, body, { headers: { access_token: token } })).data);
  }

  sendText(userId: string, text: string): Promise<unknown> {
    return this.post(ZALO.sendPath, { recipient: { user_id: userId }, message: { text } });
  }

  /** Text with `oa.query.hide` buttons: a tap makes the user send the payload as text. */
  sendButtons(userId: string, text: string, buttons: ZaloButton[]): Promise<unknown> {
    return this.post(ZALO.sendPath, {
      recipient: { user_id: userId },
      message: {
        text,
        attachment: {
          type: "template",
          payload: {
            buttons: buttons.map((b) => ({ title: b.title.slice(0, ZALO.maxButtonTitle), type: "oa.query.hide", payload: b.payload })),
          },
        },
      },
    });
  }

  /** Uploads bytes as the multipart `file` field of an upload endpoint; returns what Zalo answered. */
  private upload<T>(path: string, bytes: Buffer, filename: string, type: string): Promise<T | undefined> {
    return this.call<T>(async (token) => {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(bytes)], { type }), filename);
      return (await this.http.post(path, form, { headers: { access_token: token } })).data;
    });
  }

  /** Uploads a file (PDF) and sends it as a `file` attachment (the token is good for one send here). */
  async sendFile(userId: string, bytes: Buffer, filename: string): Promise<unknown> {
    const uploaded = await this.upload<{ token?: string }>(ZALO.uploadFilePath, bytes, filename, "application/pdf");
    if (!uploaded?.token) throw new ZaloApiError(0, "the file upload answered no token");
    return this.post(ZALO.sendPath, {
      recipient: { user_id: userId },
      message: { attachment: { type: "file", payload: { token: uploaded.token } } },
    });
  }

  /** Uploads an image (PNG, up to 1 MB) and sends it as a media message. */
  async sendImage(userId: string, bytes: Buffer, filename: string): Promise<unknown> {
    const uploaded = await this.upload<{ attachment_id?: string }>(ZALO.uploadImagePath, bytes, filename, "image/png");
    if (!uploaded?.attachment_id) throw new ZaloApiError(0, "the image upload answered no attachment id");
    return this.post(ZALO.sendPath, {
      recipient: { user_id: userId },
      message: {
        attachment: {
          type: "template",
          payload: { template_type: "media", elements: [{ media_type: "image", attachment_id: uploaded.attachment_id }] },
        },
      },
    });
  }

  /** Zalo's form asking the user to share name and phone; the answer is a user_submit_info event. */
  requestUserInfo(userId: string, title: string, subtitle: string): Promise<unknown> {
    return this.post(ZALO.sendPath, {
      recipient: { user_id: userId },
      message: {
        attachment: {
          type: "template",
          payload: { template_type: "request_user_info", elements: [{ title: title.slice(0, 100), subtitle: subtitle.slice(0, 500) }] },
        },
      },
    });
  }

  profile(userId: string): Promise<{ display_name?: string; user_is_follower?: boolean } | undefined> {
    return this.call(
      async (token) =>
        (await this.http.get(ZALO.profilePath, { params: { data: JSON.stringify({ user_id: userId }) }, headers: { access_token: token } }))
          .data,
    );
  }
}
