import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Relaycast", template: "%s · Relaycast" },
  description: "Live broadcasting: go live from OBS, watch, chat.",
};

// Every page is rendered per request: its scripts carry that response's CSP nonce (see lib/web-server.ts).
export const dynamic = "force-dynamic";

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#16131f" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
