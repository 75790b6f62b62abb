import type { ReactNode } from "react";

// The pop-out chat knows who is signed in, so it is never prerendered.
export const dynamic = "force-dynamic";

/** Chat on its own: no site header, the whole window for the panel (a pop-out, an OBS browser source). */
export default function ChatOnlyLayout({ children }: { children: ReactNode }) {
  return <main className="chat-window">{children}</main>;
}
