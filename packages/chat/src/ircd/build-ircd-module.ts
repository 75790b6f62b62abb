import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { access, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * The modules in infra/inspircd-modules that every Relaycast IRC server loads:
 * m_relaycast_nickguard (a nick is the one sqlauth checked; web nicks are handed over only to a
 * checked token), m_relaycast_cloak (HMAC-SHA256 host cloaks) and m_relaycast_guestmsg (guests
 * cannot message users).
 */
export const RELAYCAST_MODULE_SOURCES = ["nickguard", "cloak", "guestmsg"].map((name) =>
  fileURLToPath(new URL(`../../../../infra/inspircd-modules/m_relaycast_${name}.cpp`, import.meta.url)),
);

export const DEFAULT_INSPIRCD_INCLUDE_DIR = "/usr/include/inspircd";

/** The flags InspIRCd 3 builds its own modules with; without -fno-rtti the module misses `typeinfo for Module`. */
const CXX_FLAGS = [
  "-std=c++11",
  "-O2",
  "-fPIC",
  "-shared",
  "-fno-rtti",
  "-fvisibility=hidden",
  "-fvisibility-inlines-hidden",
];

export type BuildIrcdModuleOptions = {
  /** A module source `m_<name>.cpp`. */
  sourcePath: string;
  /** Where `m_<name>.so` is written; reused while the source and flags are unchanged. */
  outDir: string;
  /** InspIRCd's headers (Debian: apt-get install inspircd-dev). */
  includeDir?: string;
  compiler?: string;
};

/**
 * Compiles one InspIRCd 3 module against the installed headers and returns the `.so` path. Needs a
 * C++ compiler and the inspircd-dev headers; throws an Error naming what is missing otherwise.
 */
export async function buildIrcdModule({
  sourcePath,
  outDir,
  includeDir = DEFAULT_INSPIRCD_INCLUDE_DIR,
  compiler = "g++",
}: BuildIrcdModuleOptions): Promise<string> {
  const name = basename(sourcePath).replace(/\.cpp$/, "");
  if (!/^m_[a-z0-9_]+$/.test(name))
    throw new Error(`An InspIRCd module source must be named m_<name>.cpp: ${sourcePath}`);
  try {
    await access(join(includeDir, "inspircd.h"));
  } catch {
    throw new Error(
      `Cannot build the InspIRCd module ${name}: no InspIRCd headers in ${includeDir} (Debian/Ubuntu: apt-get install inspircd-dev g++)`,
    );
  }
  const source = await readFile(sourcePath);
  const fingerprint = createHash("sha256")
    .update(source)
    .update(JSON.stringify([compiler, CXX_FLAGS, resolve(includeDir)]))
    .digest("hex");
  await mkdir(outDir, { recursive: true });
  const outPath = join(resolve(outDir), `${name}.so`);
  const stampPath = `${outPath}.sha256`;
  if ((await readFile(stampPath, "utf8").catch(() => "")) === fingerprint) {
    const built = await access(outPath).then(
      () => true,
      () => false,
    );
    if (built) return outPath;
  }
  // Build beside the target and rename, so concurrent builds never load a half-written file.
  const tempPath = `${outPath}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await run(compiler, [...CXX_FLAGS, `-I${includeDir}`, "-o", tempPath, sourcePath]);
    await rename(tempPath, outPath);
  } catch (error) {
    await rm(tempPath, { force: true });
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new Error(`Cannot build the InspIRCd module ${name} with ${compiler}: ${detail}`);
  }
  await writeFile(stampPath, fingerprint);
  return outPath;
}
