import type { TChatMessage, TChatNotice } from "@relaycast/chat/protocol";

/**
 * The chat panel's lines as a pure reducer: a bounded buffer, and the scroll-pause state with its
 * count of lines that arrived while the viewer was reading older ones.
 */
export type TChatLine =
  | { kind: "message"; id: string; message: TChatMessage; isDeleted: boolean }
  | { kind: "notice"; id: string; notice: TChatNotice; at: string };

export type TChatLinesState = {
  lines: TChatLine[];
  /** The viewer scrolled up: new lines do not pull the view down. */
  isPaused: boolean;
  /** Lines added since the pause began. */
  unseen: number;
  nextNoticeId: number;
};

export type TChatLinesAction =
  | { type: "history"; messages: TChatMessage[] }
  | { type: "message"; message: TChatMessage }
  | { type: "delete"; id: string }
  /** A moderator cleared the chat: every line shown so far goes. */
  | { type: "clear" }
  | { type: "notice"; notice: TChatNotice; at: string }
  | { type: "scrolled"; isAtBottom: boolean };

/** Lines kept while following the chat. */
export const CHAT_LINES_MAX = 300;
/** Lines kept while paused, so that the lines being read do not vanish from under the viewer. */
export const CHAT_LINES_MAX_PAUSED = 1000;

export const initialChatLines: TChatLinesState = { lines: [], isPaused: false, unseen: 0, nextNoticeId: 1 };

export function chatLinesReducer(state: TChatLinesState, action: TChatLinesAction): TChatLinesState {
  switch (action.type) {
    case "history": {
      // On a reconnect, the history overlaps what is shown: add only the lines missed meanwhile.
      const known = new Set(state.lines.map((line) => line.id));
      const missed = action.messages.filter((message) => !known.has(message.id)).map(messageLine);
      return append(state, missed);
    }
    case "message":
      if (state.lines.some((line) => line.id === action.message.id)) return state;
      return append(state, [messageLine(action.message)]);
    case "delete":
      return {
        ...state,
        lines: state.lines.map((line) =>
          line.kind === "message" && line.id === action.id ? { ...line, isDeleted: true } : line,
        ),
      };
    case "clear":
      return { ...state, lines: [], unseen: 0 };
    case "notice":
      return append({ ...state, nextNoticeId: state.nextNoticeId + 1 }, [
        { kind: "notice", id: `notice-${state.nextNoticeId}`, notice: action.notice, at: action.at },
      ]);
    case "scrolled":
      if (!action.isAtBottom) return state.isPaused ? state : { ...state, isPaused: true, unseen: 0 };
      if (!state.isPaused) return state;
      return { ...state, isPaused: false, unseen: 0, lines: state.lines.slice(-CHAT_LINES_MAX) };
  }
}

function messageLine(message: TChatMessage): TChatLine {
  return { kind: "message", id: message.id, message, isDeleted: false };
}

function append(state: TChatLinesState, added: TChatLine[]): TChatLinesState {
  if (added.length === 0) return state;
  const max = state.isPaused ? CHAT_LINES_MAX_PAUSED : CHAT_LINES_MAX;
  return {
    ...state,
    lines: [...state.lines, ...added].slice(-max),
    unseen: state.isPaused ? state.unseen + added.length : 0,
  };
}
