/*
 * Relaycast: guests (nicks matching <relaycastguests pattern>, default guest-*) cannot message
 * users (InspIRCd 3).
 *
 * Anyone may connect to the public port as guest-<anything> without a token, to read channels.
 * Channel messages from guests are muted by the m:guest-*!*@* ban the channels start with; this
 * refuses what the mute does not cover: PRIVMSG, NOTICE (CTCP included) and TAGMSG to a user,
 * so a guest cannot spam or harass viewers and users in private. Answered with 531
 * (ERR_CANTSENDTOUSER). Messages to channels are left to the channel's modes.
 *
 * Build: packages/chat/src/ircd/build-ircd-module.ts (g++ and the inspircd-dev headers).
 */

#include "inspircd.h"
#include "modules/ctctags.h"

class ModuleRelaycastGuestMessages : public Module, public CTCTags::EventListener
{
	std::string pattern;

	ModResult Check(User* user, const MessageTarget& target)
	{
		if (!IS_LOCAL(user) || target.type != MessageTarget::TYPE_USER)
			return MOD_RES_PASSTHRU;
		if (!InspIRCd::Match(user->nick, pattern))
			return MOD_RES_PASSTHRU;
		user->WriteNumeric(Numerics::CannotSendTo(target.Get<User>(),
			"Guests cannot send private messages; log in with an IRC token from your Relaycast dashboard"));
		return MOD_RES_DENY;
	}

 public:
	ModuleRelaycastGuestMessages()
		: CTCTags::EventListener(this)
	{
	}

	void ReadConfig(ConfigStatus& status) CXX11_OVERRIDE
	{
		pattern = ServerInstance->Config->ConfValue("relaycastguests")->getString("pattern", "guest-*", 1);
	}

	ModResult OnUserPreMessage(User* user, const MessageTarget& target, MessageDetails& details) CXX11_OVERRIDE
	{
		return Check(user, target);
	}

	ModResult OnUserPreTagMessage(User* user, const MessageTarget& target, CTCTags::TagMessageDetails& details) CXX11_OVERRIDE
	{
		return Check(user, target);
	}

	Version GetVersion() CXX11_OVERRIDE
	{
		return Version("Relaycast: guests cannot send private messages, notices or tag messages to users");
	}
};

MODULE_INIT(ModuleRelaycastGuestMessages)
