import { headers } from "next/headers";
import { listLiveChannelStatuses } from "@/features/live/channel-status.ts";
import { LiveDirectory } from "@/features/live/live-directory.tsx";
import { mediaPublicUrlFor } from "@/features/live/media-public-url.ts";

export default async function HomePage() {
  const channels = await listLiveChannelStatuses({
    mediaPublicUrl: mediaPublicUrlFor((await headers()).get("host")),
  });
  return (
    <section aria-labelledby="live-heading" className="page">
      <h1 id="live-heading">Live now</h1>
      <LiveDirectory initial={channels} />
    </section>
  );
}
