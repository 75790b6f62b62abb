export {
  DRAIN_TIMEOUT_MS,
  startTestCluster,
  type ClusterNode,
  type ClusterNodeSpec,
  type TestCluster,
} from "./test-cluster.ts";
export { allPlayingSince, DirectedViewer, type ChooseEdge, type EdgeChoice } from "./directed-viewer.ts";
export {
  killMediaProcess,
  startMediaProcess,
  stopMediaProcesses,
  type MediaProcess,
} from "./media-process.ts";
