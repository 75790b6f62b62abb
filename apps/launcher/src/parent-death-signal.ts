import { access, constants } from "node:fs/promises";

const SETPRIV = "/usr/bin/setpriv";

/**
 * A command prefix that makes the child receive SIGTERM the moment the launcher dies, however it
 * dies (kill -9 included): util-linux `setpriv --pdeathsig` sets Linux's PR_SET_PDEATHSIG, then
 * execs the command, so the child keeps its pid and the launcher stays its parent. Null where
 * setpriv is not installed (not Linux): the next start then finds what was left (see RunFile).
 */
export async function parentDeathSignalPrefix(): Promise<string[] | null> {
  try {
    await access(SETPRIV, constants.X_OK);
    return [SETPRIV, "--pdeathsig", "TERM", "--"];
  } catch {
    return null;
  }
}
