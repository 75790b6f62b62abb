import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** A Debian package and how to tell it is installed without asking dpkg (which may be absent). */
export type SystemPackage = { name: string; present: () => boolean };

const onPath = (command: string) => () => isExecutableOnPath(command);
const file = (path: string) => () => isReadable(path);
const gstreamerElement = (element: string) => () =>
  spawnSync("gst-inspect-1.0", [element], { stdio: "ignore" }).status === 0;

/** What `npm start` needs: HLS and thumbnails (ffmpeg), chat (InspIRCd, and its headers and g++ for the nick-guard module). */
const START: SystemPackage[] = [
  { name: "ffmpeg", present: onPath("ffmpeg") },
  { name: "inspircd", present: file("/usr/sbin/inspircd") },
  { name: "inspircd-dev", present: file("/usr/include/inspircd/inspircd.h") },
  { name: "g++", present: onPath("g++") },
];

/** What `npm test` needs on top: Chromium, the players of the media interop tests, network namespaces, compose validation. */
const TEST: SystemPackage[] = [
  ...START,
  { name: "chromium", present: onPath("chromium") },
  { name: "gstreamer1.0-tools", present: onPath("gst-launch-1.0") },
  { name: "gstreamer1.0-plugins-bad", present: gstreamerElement("rtmp2src") },
  { name: "gstreamer1.0-plugins-good", present: gstreamerElement("flvdemux") },
  { name: "gstreamer1.0-libav", present: gstreamerElement("avdec_h264") },
  { name: "mpv", present: onPath("mpv") },
  { name: "iproute2", present: onPath("ip") },
  { name: "docker-compose", present: onPath("docker-compose") },
];

export const SYSTEM_PACKAGES = { start: START, test: TEST } as const;
export type SystemPackagePurpose = keyof typeof SYSTEM_PACKAGES;

export function missingPackages(packages: readonly SystemPackage[]): string[] {
  return packages.filter((systemPackage) => !systemPackage.present()).map(({ name }) => name);
}

export function installCommand(names: string[]): string {
  return `sudo apt-get install -y --no-install-recommends ${names.join(" ")}`;
}

function isExecutableOnPath(command: string): boolean {
  return (process.env.PATH ?? "")
    .split(delimiter)
    .some((dir) => dir !== "" && isExecutable(join(dir, command)));
}

function isExecutable(path: string): boolean {
  return hasAccess(path, constants.X_OK);
}

function isReadable(path: string): boolean {
  return hasAccess(path, constants.R_OK);
}

function hasAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}
