import type { ReactNode } from "react";
import { SiteHeader } from "@/components/site-header.tsx";

// Every page shows who is signed in, so none is prerendered.
export const dynamic = "force-dynamic";

export default function SiteLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <SiteHeader />
      <main id="main">{children}</main>
    </>
  );
}
