import { headers } from "next/headers";
import { pollLiveDirectory } from "@/features/live/api-queries.ts";
import { LiveDirectory } from "@/features/live/live-directory.tsx";
import { mediaPublicUrlFor } from "@/features/live/media-public-url.ts";

export default async function HomePage({ searchParams }: PageProps<"/">) {
  const channels = await pollLiveDirectory(mediaPublicUrlFor((await headers()).get("host")));
  const { deleted } = await searchParams;
  return (
    <section aria-labelledby="live-heading" className="page">
      {deleted === "1" && (
        <p role="status" className="notice">
          Your account is deleted.
        </p>
      )}
      <h1 id="live-heading">Live now</h1>
      <LiveDirectory initial={channels} />
    </section>
  );
}
