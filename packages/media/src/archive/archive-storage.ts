import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, normalize } from "node:path";
import type { Readable } from "node:stream";

/**
 * Where recordings live. Paths are relative to the archive and start with the recording's id
 * (`<id>/part-1/seg-00000.ts`, `<id>/thumbnail.jpg`): nothing else knows where the files are. The
 * local directory is today's backend; an S3-compatible one would stage parts in a local folder and
 * upload each closed segment, behind the same calls.
 */
export type ArchiveStorage = {
  /** A folder on this machine for a part's recorder (ffmpeg) to write its playlist and segments into. */
  partFolder(path: string): Promise<string>;
  /** Where a tool on this machine (ffmpeg making a thumbnail) reads or writes a file, by its path. */
  localPath(path: string): string;
  readText(path: string): Promise<string | null>;
  /** Replaces a file whole: a reader sees the old text or the new, never half of it. */
  writeText(path: string, text: string): Promise<void>;
  open(path: string): Promise<{ stream: Readable; size: number } | null>;
  /** What a folder holds (a recording's parts, a part's segments), by name; sizes of files. */
  list(folder: string): Promise<ArchiveEntry[]>;
  /** Deletes a file, or a folder and everything in it. */
  remove(path: string): Promise<void>;
};

export type ArchiveEntry = { name: string; isFolder: boolean; size: number };

/** The archive in a local directory (`DATA_DIR/archive` by default). */
export class LocalArchiveStorage implements ArchiveStorage {
  constructor(private readonly root: string) {}

  async partFolder(path: string): Promise<string> {
    const folder = this.localPath(path);
    await mkdir(folder, { recursive: true });
    return folder;
  }

  localPath(path: string): string {
    const relative = normalize(path);
    if (relative.startsWith("..") || relative.startsWith("/"))
      throw new Error(`not an archive path: ${path}`);
    return join(this.root, relative);
  }

  async readText(path: string): Promise<string | null> {
    return readFile(this.localPath(path), "utf8").catch(ifMissing(null));
  }

  async writeText(path: string, text: string): Promise<void> {
    const target = this.localPath(path);
    const partial = `${target}.writing`;
    await writeFile(partial, text);
    await rename(partial, target);
  }

  async open(path: string): Promise<{ stream: Readable; size: number } | null> {
    const file = this.localPath(path);
    const info = await stat(file).catch(ifMissing(null));
    if (!info?.isFile()) return null;
    return { stream: createReadStream(file), size: info.size };
  }

  async list(folder: string): Promise<ArchiveEntry[]> {
    const path = this.localPath(folder);
    const entries = await readdir(path, { withFileTypes: true }).catch(ifMissing([]));
    return Promise.all(
      entries.map(async (entry) => ({
        name: entry.name,
        isFolder: entry.isDirectory(),
        size: entry.isFile() ? (await stat(join(path, entry.name)).catch(ifMissing({ size: 0 }))).size : 0,
      })),
    );
  }

  async remove(path: string): Promise<void> {
    await rm(this.localPath(path), { recursive: true, force: true });
  }
}

function ifMissing<T>(value: T) {
  return (error: NodeJS.ErrnoException): T => {
    if (error.code === "ENOENT") return value;
    throw error;
  };
}
