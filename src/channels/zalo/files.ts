// Fetching a file a person sent the OA: the webhook's attachment URL (which expires), read once
// the entry is submitted. Only http(s) URLs, within the size limit.
import axios from "axios";
import type { FileFetcher } from "../../domain/entry-files.js";

export const zaloFileFetcher: FileFetcher = async (url, maxBytes) => {
  if (!/^https?:\/\//.test(url)) throw new Error("not an http(s) URL");
  const res = await axios.get<ArrayBuffer>(url, { responseType: "arraybuffer", maxContentLength: maxBytes, timeout: 60_000 });
  return Buffer.from(res.data);
};
