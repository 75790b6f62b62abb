import { loadavg } from "node:os";
import { openFileSoftLimit } from "../shared/fd-limit.ts";
import { progress } from "../shared/progress.ts";
import type { ChatOptions } from "./chat-options.ts";
import { chatResult, type ChatRunFacts } from "./chat-result.ts";
import { startChatRig, type ChatRig } from "./chat-rig.ts";
import { newestCpuProfile, summariseCpuProfile } from "./cpu-profile-summary.ts";
import { DeliveryLog } from "./delivery-log.ts";
import { runPhases, type PhaseMeasurement } from "./run-phases.ts";

/** Sockets and files this process needs besides one socket per chatter and IRC client. */
const SPARE_FILES = 256;

/**
 * The chat benchmark: a database, InspIRCd, the gateway process, web chatters and IRC clients, then
 * each phase's rate. If something dies on the way, the result holds what was measured before, and
 * `error` says what happened; a run that delivered nothing is an error too (CI's smoke check).
 */
export async function runChat(options: ChatOptions) {
  const run: ChatRunFacts = {
    startedAt: new Date(),
    loadAverageAtStart: loadavg(),
    error: null,
    ramp: null,
    disconnects: {},
    gatewayProfile: null,
  };
  const log = new DeliveryLog();
  const measured: PhaseMeasurement[] = [];
  const stops: (() => Promise<void>)[] = [];
  try {
    const needed = options.chatters + options.ircClients + SPARE_FILES;
    if (openFileSoftLimit() < needed) {
      throw new Error(
        `${needed} open files needed (one socket per chatter); raise the limit, e.g. ulimit -n ${needed}`,
      );
    }
    const rig: ChatRig = await startChatRig(options, log, stops);
    run.ramp = rig.ramp;
    run.disconnects = rig.disconnects;
    await runPhases(options, rig, log, measured);
  } catch (error) {
    run.error = error instanceof Error ? error.message : String(error);
    progress(`stopped early: ${run.error}`);
  } finally {
    progress("cleaning up");
    for (const stop of stops.reverse()) await stop().catch(() => {});
  }
  if (run.error === null && !log.phases.some((phase) => phase.delivered > 0)) {
    run.error = "no line was delivered to any chatter";
  }
  if (options.gatewayCpuProfileDir)
    run.gatewayProfile = await readGatewayProfile(options.gatewayCpuProfileDir, measured);
  return chatResult(options, log, measured, run);
}

/** The gateway's CPU profile (written when it exited), summarised per phase. */
async function readGatewayProfile(
  dir: string,
  measured: PhaseMeasurement[],
): Promise<ChatRunFacts["gatewayProfile"]> {
  const path = await newestCpuProfile(dir);
  if (!path) return { error: `no .cpuprofile in ${dir} (the gateway writes it when it exits cleanly)` };
  const windows = measured.map((phase) => ({
    label: `${phase.targetPerSecond} msg/s`,
    startUs: phase.monotonicUs.start,
    endUs: phase.monotonicUs.end,
  }));
  try {
    return { path, phases: await summariseCpuProfile(path, windows) };
  } catch (error) {
    return { error: `could not read ${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
}
