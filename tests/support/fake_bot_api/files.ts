/** Files the bot sends: uploads (multipart) kept with name and bytes, or file_id/URL references. */
import { FakeApiError, type Payload, type StoredFile, UploadedFile } from "./types.ts";

const MIME_BY_EXT: Record<string, string> = {
  csv: "text/csv",
  txt: "text/plain",
  json: "application/json",
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  svg: "image/svg+xml",
  ics: "text/calendar",
  zip: "application/zip",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  html: "text/html",
  db: "application/octet-stream",
  sqlite: "application/vnd.sqlite3",
  gz: "application/gzip",
};

/** Assigns file ids and stores the files of sendDocument/sendPhoto calls. */
export class FileStore {
  #seq = 0;

  /** The file in `p[key]`; throws Telegram's 400 when it is missing, empty or not an image. */
  store(p: Payload, key: "document" | "photo"): StoredFile {
    const v = p[key];
    const seq = ++this.#seq;
    const ids = { file_id: `${key.toUpperCase()}_${seq}`, file_unique_id: `u${seq}` };
    if (v instanceof UploadedFile) return uploaded(v, key, ids);
    if (typeof v === "string" && v.startsWith("attach://")) {
      throw new FakeApiError(400, `Bad Request: file ${v} not found in the request`);
    }
    if (typeof v === "string" && v !== "") {
      if (/^https?:\/\//.test(v)) return { ...ids, url: v, file_size: 0 };
      return { ...ids, file_id: v, file_size: 0 };
    }
    throw new FakeApiError(400, `Bad Request: there is no ${key} in the request`);
  }
}

function uploaded(
  v: UploadedFile,
  key: "document" | "photo",
  ids: { file_id: string; file_unique_id: string },
): StoredFile {
  if (v.bytes.length === 0) throw new FakeApiError(400, "Bad Request: file must be non-empty");
  const ext = v.file_name.includes(".")
    ? v.file_name.slice(v.file_name.lastIndexOf(".") + 1).toLowerCase()
    : "";
  const f: StoredFile = {
    ...ids,
    file_name: v.file_name,
    mime_type: MIME_BY_EXT[ext] ?? v.content_type,
    file_size: v.bytes.length,
    bytes: v.bytes,
  };
  if (key === "photo") {
    const dims = imageDims(v.bytes);
    if (!dims) throw new FakeApiError(400, "Bad Request: IMAGE_PROCESS_FAILED");
    f.width = dims[0];
    f.height = dims[1];
  }
  return f;
}

/** [width, height] for PNG/JPEG/GIF/WebP bytes, or undefined when not an image. */
function imageDims(b: Uint8Array): [number, number] | undefined {
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return [v.getUint32(16), v.getUint32(20)];
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    // scan for a SOFn marker
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) {
        i++;
        continue;
      }
      const marker = b[i + 1];
      const len = (b[i + 2] << 8) | b[i + 3];
      if (
        marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
      ) {
        return [(b[i + 7] << 8) | b[i + 8], (b[i + 5] << 8) | b[i + 6]];
      }
      i += 2 + len;
    }
    return [0, 0];
  }
  if (b.length >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) {
    return [b[6] | (b[7] << 8), b[8] | (b[9] << 8)];
  }
  if (
    b.length >= 12 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 &&
    b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50
  ) {
    return [0, 0];
  }
  return undefined;
}
