export type { NodeRecord, StreamRegistry, TMediaRole } from "./stream-registry.ts";
export {
  createStreamRegistry,
  HEARTBEAT_INTERVAL_MS,
  NODE_TTL_MS,
  REGISTRY_TTL_MS,
} from "./create-stream-registry.ts";
export { NodeHeartbeat, type NodeHeartbeatOptions } from "./node-heartbeat.ts";
export { hasHeadroom, loadOf, pickEdge, pickOrigin } from "./pick-node.ts";
