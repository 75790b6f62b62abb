import { open, readFile, unlink } from "node:fs/promises";

/**
 * Claims `<dataDir>.lock` (holding this process id) so one data directory is never opened by two PGlite
 * instances at once: PGlite does not check, and two writers corrupt the database. A lock left by a
 * process that no longer runs is taken over. Returns the release function.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const file = await open(lockPath, "wx");
      await file.writeFile(`${process.pid}\n`);
      await file.close();
      return () => unlink(lockPath).catch(() => {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
    }
    const owner = Number.parseInt(await readFile(lockPath, "utf8").catch(() => ""), 10);
    if (isRunning(owner)) {
      throw new Error(
        `The embedded database in ${dataDir} is already open in process ${owner}${owner === process.pid ? " (this one)" : ""}. Stop it first, or use its server.`,
      );
    }
    await unlink(lockPath).catch(() => {});
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
