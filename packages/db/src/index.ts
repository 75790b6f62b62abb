export { createDb, createAuthDb, type Db, type AuthDb } from "./client.ts";
export { getChannelByName } from "./channels/get-channel-by-name.ts";
export { listLiveChannels } from "./channels/list-live-channels.ts";
export { listChannels } from "./channels/list-channels.ts";
export { getOwnedChannel } from "./channels/get-owned-channel.ts";
export { updateChannelTitle } from "./channels/update-channel-title.ts";
export { createStreamKey } from "./stream-keys/create-stream-key.ts";
export { findChannelByStreamKey } from "./stream-keys/find-channel-by-stream-key.ts";
export { findChannelsByStreamKeys } from "./stream-keys/find-channels-by-stream-keys.ts";
export { generateStreamKey, STREAM_KEY_PATTERN } from "./stream-keys/generate-stream-key.ts";
export { hashSecret } from "./stream-keys/hash-secret.ts";
export { consumeRateLimit, type RateLimitResult } from "./rate-limits/consume-rate-limit.ts";
export { resetRateLimit } from "./rate-limits/reset-rate-limit.ts";
export {
  checkLoginBackoff,
  LOGIN_BACKOFF_BASE_SECONDS,
  type LoginBackoffPolicy,
} from "./rate-limits/check-login-backoff.ts";
export { recordLoginFailure } from "./rate-limits/record-login-failure.ts";
export { purgeRateLimits } from "./rate-limits/purge-rate-limits.ts";
export { openBroadcast } from "./broadcasts/open-broadcast.ts";
export { closeBroadcast } from "./broadcasts/close-broadcast.ts";
export { setChannelLiveState } from "./broadcasts/set-channel-live-state.ts";
export { closeOrphanedBroadcasts } from "./broadcasts/close-orphaned-broadcasts.ts";
export { renewBroadcastLeases } from "./broadcasts/renew-broadcast-leases.ts";
export { closeExpiredBroadcasts } from "./broadcasts/close-expired-broadcasts.ts";
export { BROADCAST_LEASE_MS } from "./broadcasts/broadcast-lease-ms.ts";
export { getLatestBroadcast } from "./broadcasts/get-latest-broadcast.ts";
export { promoteToAdmin } from "./users/promote-to-admin.ts";
export { deleteAccount } from "./users/delete-account.ts";
export { Prisma } from "./generated/prisma/client.ts";
export type { Role, LiveState, RecordingStatus } from "./generated/prisma/enums.ts";
export { saveChatMessages, type TChatMessageRow } from "./chat-messages/save-chat-messages.ts";
export { listRecentChatMessages } from "./chat-messages/list-recent-chat-messages.ts";
export { findChatMessage } from "./chat-messages/find-chat-message.ts";
export { createIrcToken } from "./irc-tokens/create-irc-token.ts";
export { listIrcTokens } from "./irc-tokens/list-irc-tokens.ts";
export { revokeIrcToken } from "./irc-tokens/revoke-irc-token.ts";
export { generateIrcToken, IRC_TOKEN_PATTERN } from "./irc-tokens/generate-irc-token.ts";
export { openRecordingPart } from "./recordings/open-recording-part.ts";
export {
  beginFinishingRecording,
  finishRecording,
  recordRecordingFailure,
  type RecordingSummary,
} from "./recordings/finish-recording.ts";
export { recordingsToRecover } from "./recordings/recordings-to-recover.ts";
export { listChannelVideos, listLatestVideos, getVideo, type TVideoRow } from "./recordings/list-videos.ts";
export { setChannelRetention, expireRecordings } from "./recordings/retention.ts";
export { deleteVideo, renameVideo, type TVideoEditor } from "./recordings/video-edits.ts";
export {
  recordingsWithFilesToRemove,
  markRecordingFilesRemoved,
  channelArchiveBytes,
} from "./recordings/removed-files.ts";
export { getLiveRecordingId } from "./recordings/live-recording.ts";
export * from "./moderation/index.ts";
