"use client";

import { useEffect, useState } from "react";

/** The latest value a Server-Sent Events endpoint sent, starting from what the server rendered. */
export function useEventStream<T>(url: string, initial: T): T {
  const [value, setValue] = useState(initial);
  useEffect(() => {
    const source = new EventSource(url);
    source.onmessage = (event: MessageEvent<string>) => setValue(JSON.parse(event.data) as T);
    return () => source.close();
  }, [url]);
  return value;
}

/** Seconds since `startedAt`, ticking every second; null when there is no start. */
export function useUptime(startedAt: string | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!startedAt) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [startedAt]);
  return startedAt ? Math.max(0, Math.floor((now - Date.parse(startedAt)) / 1000)) : null;
}
