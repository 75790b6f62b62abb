/**
 * A broadcast whose media node has not renewed it for this long is over: the node was killed or lost
 * the database. Nodes renew every 2 s; whoever reads live state next (another media node, the web)
 * closes it, so no channel stays live more than about 8 s after its node died.
 */
export const BROADCAST_LEASE_MS = 6_000;
