import { readFileSync } from "node:fs";

/** This process's soft limit on open files ("Max open files" in /proc/self/limits). */
export function openFileSoftLimit(): number {
  try {
    const limits = readFileSync("/proc/self/limits", "utf8");
    const match = /^Max open files\s+(\d+|unlimited)\s+/m.exec(limits);
    if (!match) return 1024;
    return match[1] === "unlimited" ? Number.POSITIVE_INFINITY : Number(match[1]);
  } catch {
    return 1024;
  }
}

/**
 * The command to spawn so the child may open `needed` files: the command itself when the inherited
 * limit suffices, else the command under `bash -c 'ulimit -n …; exec …'` (same pid, higher soft limit).
 */
export function withOpenFileLimit(
  command: string,
  args: string[],
  needed: number,
): { command: string; args: string[] } {
  if (openFileSoftLimit() >= needed) return { command, args };
  const script = `ulimit -n ${needed} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"`;
  return { command: "bash", args: ["-c", script, command, ...args] };
}
