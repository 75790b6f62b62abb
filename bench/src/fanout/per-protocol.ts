import type { TPlayProtocol } from "./viewers/viewer.ts";

/** One value for each play protocol. */
export type PerProtocol<T> = Record<TPlayProtocol, T>;

export function perProtocol<T>(make: (protocol: TPlayProtocol) => T): PerProtocol<T> {
  return { "http-flv": make("http-flv"), "ws-flv": make("ws-flv"), rtmp: make("rtmp") };
}
