"use client";

import { Field } from "@/components/field.tsx";
import { useFormAction } from "@/lib/use-form-action.ts";
import { deleteVideoAction, renameVideoAction, type TVideoTitleState } from "./actions.ts";
import { MAX_TITLE_LENGTH } from "../channels/schemas.ts";

type VideoOwnerToolsProps = {
  videoId: string;
  channel: string;
  title: string;
  /** The channel's owner renames and deletes; an admin only deletes. */
  canRename: boolean;
};

/** Rename and delete, for a video's owner (and delete for an admin). */
export function VideoOwnerTools({ videoId, channel, title, canRename }: VideoOwnerToolsProps) {
  const [state, renameAction, isPending] = useFormAction<TVideoTitleState>(
    renameVideoAction,
    { title },
    (state, error) => ({ ...state, error, isSaved: false }),
  );
  return (
    <section className="card" aria-label="Manage this video">
      {canRename && (
        <form action={renameAction} className="inline-form" aria-label="Rename this video">
          <input type="hidden" name="videoId" value={videoId} />
          <Field
            name="title"
            label="Video title"
            defaultValue={state.title ?? title}
            maxLength={MAX_TITLE_LENGTH}
            error={state.error}
          />
          <button type="submit" disabled={isPending}>
            Rename
          </button>
          <p role="status" className="muted">
            {state.isSaved && !isPending ? "Video renamed." : ""}
          </p>
        </form>
      )}
      <form
        action={deleteVideoAction}
        onSubmit={(event) => {
          if (!window.confirm("Delete this video for good? Its files are removed.")) event.preventDefault();
        }}
      >
        <input type="hidden" name="videoId" value={videoId} />
        <input type="hidden" name="channel" value={channel} />
        <button type="submit" className="danger">
          Delete video
        </button>
      </form>
    </section>
  );
}
