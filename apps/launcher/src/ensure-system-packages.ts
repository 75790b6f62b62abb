import { spawnSync } from "node:child_process";
import {
  installCommand,
  missingPackages,
  SYSTEM_PACKAGES,
  type SystemPackagePurpose,
} from "./system-packages.ts";

/**
 * `npm start` and `npm test` run this first (`ensure-system-packages.ts start|test`). It checks for
 * the Debian packages they need; as root (a fresh server, CI) it installs what is missing with
 * apt-get, otherwise it prints the one command to run and exits 1.
 */
const purpose = process.argv[2] as SystemPackagePurpose;
if (!(purpose in SYSTEM_PACKAGES)) {
  process.stderr.write(`usage: ensure-system-packages.ts ${Object.keys(SYSTEM_PACKAGES).join("|")}\n`);
  process.exit(2);
}

const missing = missingPackages(SYSTEM_PACKAGES[purpose]);
if (missing.length > 0) {
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
  if (!isRoot || !hasApt) {
    process.stderr.write(
      `relaycast: npm ${purpose} needs these Debian packages: ${missing.join(", ")}.\n` +
        `Install them with:\n\n  ${installCommand(missing)}\n\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`relaycast: installing ${missing.join(" ")} (apt-get)\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", ...missing]]) {
    const result = spawnSync("apt-get", args, { stdio: "inherit", env });
    if (result.status !== 0) {
      process.stderr.write(`relaycast: apt-get ${args[0]} failed (exit ${result.status ?? result.signal})\n`);
      process.exit(1);
    }
  }
  const stillMissing = missingPackages(SYSTEM_PACKAGES[purpose]);
  if (stillMissing.length > 0) {
    process.stderr.write(`relaycast: still missing after apt-get: ${stillMissing.join(", ")}\n`);
    process.exit(1);
  }
}
