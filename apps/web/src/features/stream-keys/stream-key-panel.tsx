"use client";

import { useActionState, useEffect, useState } from "react";
import { CopyableValue } from "@/components/copyable-value.tsx";
import { dismissNewStreamKeyAction, regenerateStreamKeyAction, type TRegenerateState } from "./actions.ts";

/** Shown instead of the ingest URL when no media server of the cluster takes broadcasts. */
const NO_INGEST = "No media server takes broadcasts right now. Reload this page in a moment.";

type StreamKeyPanelProps = {
  /** The RTMP server to publish to; null when none takes broadcasts now. */
  ingestUrl: string | null;
  /** The key in full when it was just issued (sign-up); otherwise it cannot be shown again. */
  newStreamKey: string | null;
  activeKeyCreatedAt: string | null;
};

export function StreamKeyPanel({ ingestUrl, newStreamKey, activeKeyCreatedAt }: StreamKeyPanelProps) {
  const [state, regenerate, isRegenerating] = useActionState<TRegenerateState>(regenerateStreamKeyAction, {});
  const [isConfirming, setIsConfirming] = useState(false);
  // Kept in state: dismissing the flash refreshes the page's server props, which then carry no key.
  const [issuedKey] = useState(newStreamKey);
  const streamKey = state.streamKey ?? issuedKey;

  useEffect(() => {
    if (newStreamKey) void dismissNewStreamKeyAction();
  }, [newStreamKey]);

  return (
    <section className="card" aria-labelledby="stream-key-heading">
      <h2 id="stream-key-heading">Stream key</h2>
      {ingestUrl ? (
        <CopyableValue label="Server (ingest URL)" value={ingestUrl} isSecret={false} />
      ) : (
        <p role="alert" className="form-error">
          {NO_INGEST}
        </p>
      )}
      {streamKey ? (
        <>
          <CopyableValue key={streamKey} label="Stream key" value={streamKey} isSecret />
          <p className="notice" role="status">
            Save this key now: Relaycast keeps only a hash of it and cannot show it again. Anyone with it can
            broadcast on your channel.
          </p>
        </>
      ) : (
        <p className="muted">
          {activeKeyCreatedAt
            ? `Your key was issued ${new Date(activeKeyCreatedAt).toLocaleString()}. It is stored only as a hash, so it cannot be shown again; regenerate it if you lost it.`
            : "Your channel has no stream key. Generate one to go live."}
        </p>
      )}
      {state.error && (
        <p role="alert" className="form-error">
          {state.error}
        </p>
      )}
      {isConfirming ? (
        <form action={regenerate} className="confirm" onSubmit={() => setIsConfirming(false)}>
          <p>The current key stops working at once, and a live stream using it is cut off.</p>
          <button type="submit" className="danger" disabled={isRegenerating}>
            Yes, regenerate
          </button>
          <button type="button" className="secondary" onClick={() => setIsConfirming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button
          type="button"
          className="secondary"
          onClick={() => setIsConfirming(true)}
          disabled={isRegenerating}
        >
          {activeKeyCreatedAt || streamKey ? "Regenerate stream key" : "Generate stream key"}
        </button>
      )}
      <ObsSettings ingestUrl={ingestUrl} hasKey={Boolean(streamKey)} />
    </section>
  );
}

function ObsSettings({ ingestUrl, hasKey }: { ingestUrl: string | null; hasKey: boolean }) {
  return (
    <details className="obs" open>
      <summary>OBS settings</summary>
      <p>
        In OBS: <strong>Settings → Stream</strong>
      </p>
      <dl>
        <dt>Service</dt>
        <dd>Custom…</dd>
        <dt>Server</dt>
        <dd>
          <code>{ingestUrl ?? "rtmp://…/live"}</code>
        </dd>
        <dt>Stream Key</dt>
        <dd>{hasKey ? "the stream key above" : "your stream key (regenerate it if you lost it)"}</dd>
      </dl>
      <p>
        <strong>Settings → Output</strong> (Output Mode: Advanced): Encoder x264 or your GPU&apos;s H.264,
        Rate Control CBR, Bitrate 2500–6000 Kbps, Keyframe Interval 2 s; Audio AAC 160 Kbps, 48 kHz.
      </p>
      <p className="muted">
        With ffmpeg:{" "}
        <code>
          ffmpeg -re -i input.mp4 -c:v libx264 -pix_fmt yuv420p -g 60 -c:a aac -f flv{" "}
          {ingestUrl ?? "rtmp://…/live"}/&lt;stream key&gt;
        </code>
      </p>
    </details>
  );
}
