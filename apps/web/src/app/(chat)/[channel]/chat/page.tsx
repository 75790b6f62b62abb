import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getViewer } from "@/features/auth/session.ts";
import { getChannelPage } from "@/features/channels/queries.ts";
import { ChatPanel } from "@/features/chat/chat-panel.tsx";

type ChatPageProps = {
  params: Promise<{ channel: string }>;
  searchParams: Promise<{ obs?: string | string[] }>;
};

export async function generateMetadata({ params }: ChatPageProps): Promise<Metadata> {
  const channel = await getChannelPage({ name: (await params).channel });
  return { title: channel ? `${channel.name} chat` : "Channel not found", robots: { index: false } };
}

/** GET /<channel>/chat: the chat alone; `?obs=1` for an OBS browser source (transparent, read-only). */
export default async function ChatPage({ params, searchParams }: ChatPageProps) {
  const channel = await getChannelPage({ name: (await params).channel });
  if (!channel) notFound();
  const isObs = (await searchParams).obs === "1";
  const viewer = isObs ? null : await getViewer();
  return (
    <>
      {isObs && (
        <style href="relaycast-chat-obs" precedence="high">
          {"html:root,html body{background:transparent;color-scheme:normal}"}
        </style>
      )}
      <ChatPanel
        channel={channel.name}
        viewerUsername={viewer?.username ?? null}
        variant={isObs ? "obs" : "popout"}
      />
    </>
  );
}
