// Fetching a file a person sent the bot: getFile gives its path, the bytes come from the Bot
// API's file URL (bots may download up to 20 MB).
import axios from "axios";
import type { Api } from "grammy";
import type { FileFetcher } from "../../domain/entry-files.js";

export function telegramFileFetcher(api: Api, token: string, apiRoot: string): FileFetcher {
  return async (fileId, maxBytes) => {
    const file = await api.getFile(fileId);
    if (!file.file_path) throw new Error("Telegram gave no path for the file");
    if (file.file_size !== undefined && file.file_size > maxBytes) throw new Error(`file of ${file.file_size} bytes over the limit`);
    const res = await axios.get<ArrayBuffer>(`${apiRoot}/file/bot${token}/${file.file_path}`, {
      responseType: "arraybuffer",
      maxContentLength: maxBytes,
      timeout: 60_000,
    });
    return Buffer.from(res.data);
  };
}
