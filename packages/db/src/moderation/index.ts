export {
  getChannelRole,
  listChannelOperators,
  findChatUser,
  outranks,
  type TChannelRole,
} from "./channel-role.ts";
export {
  listModerationActions,
  type TModerationActor,
  type TModerationTarget,
  type TModerationLogFilter,
} from "./moderation-log.ts";
export { addChannelModerator, removeChannelModerator, listChannelModerators } from "./moderators.ts";
export {
  banFromChat,
  timeOutFromChat,
  liftChatRestriction,
  activeChatRestriction,
  listChatRestrictions,
  takeExpiredTimeouts,
  banFromEveryChat,
  liftBanFromEveryChat,
  listSiteChatBans,
  type TChatRestriction,
} from "./chat-restrictions.ts";
export {
  deleteChatMessage,
  clearChatMessages,
  setChatSlowMode,
  setChatBlockedTerms,
  recordChatKick,
} from "./chat-messages.ts";
export { suspendAccount, unsuspendAccount, stopChannelStream, searchAccounts } from "./accounts.ts";
export {
  reportChatMessage,
  listOpenChatReports,
  resolveChatReport,
  CHAT_REPORT_REASONS,
  type TChatReportReason,
} from "./chat-reports.ts";
