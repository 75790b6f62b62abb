/*
 * Relaycast: a connection keeps the nick m_sqlauth checked until registration completes (InspIRCd 3).
 *
 * m_sqlauth checks the nick a client has at the moment both NICK and USER are in (OnUserRegister).
 * InspIRCd completes registration on its next 1-second tick (later while CAP negotiation is open),
 * and until then the core accepts another NICK without asking m_sqlauth again. Without this module:
 *   NICK guest-x / USER ... / NICK alice                      a guest registers as alice, no token;
 *   PASS <alice's token> / NICK alice / USER ... / NICK bob   alice registers as bob.
 * A variant goes through "Nickname overruled": another unregistered connection claims the nick,
 * the core renames this one to its UUID and asks for a new NICK, which m_sqlauth does not re-check
 * while its query for the first nick is still running.
 *
 * So: once NICK and USER have been received, a NICK before the end of registration is refused; a
 * connection whose nick was overruled in that state is disconnected. A NICK before USER, or after a
 * 433 for the first NICK, is not affected. After registration, <disabled commands="NICK"> applies.
 *
 * It also lets a platform user's own IRC client take their nick from their web chat: when a client
 * on the public port that sent a PASS (an IRC token; m_sqlauth still checks it) asks for a nick held
 * by a connection of the gateway's class, that connection goes on as <nick>|web. Without this the
 * client would get 433 for as long as the user's chat panel is open.
 *
 * Build: packages/chat/src/ircd/build-ircd-module.ts (g++ and the inspircd-dev headers).
 */

#include "inspircd.h"

class ModuleRelaycastNickGuard : public Module
{
	// Set once NICK and USER were both in, i.e. once m_sqlauth has started checking this nick.
	LocalIntExt checked;

 public:
	ModuleRelaycastNickGuard()
		: checked("relaycast-nick-checked", ExtensionItem::EXT_USER, this)
	{
	}

	ModResult OnUserRegister(LocalUser* user) CXX11_OVERRIDE
	{
		checked.set(user, 1);
		return MOD_RES_PASSTHRU;
	}

	ModResult OnUserPreNick(LocalUser* user, const std::string& newnick) CXX11_OVERRIDE
	{
		if (user->registered == REG_ALL)
			return MOD_RES_PASSTHRU;
		if (!checked.get(user))
		{
			YieldWebNick(user, newnick);
			return MOD_RES_PASSTHRU;
		}

		if (user->registered == REG_NICKUSER)
		{
			user->WriteNumeric(ERR_ERRONEUSNICKNAME, newnick, "You cannot change your nick until you are connected");
			return MOD_RES_DENY;
		}

		// The nick was overruled by another connection after it had been checked.
		ServerInstance->Users->QuitUser(user, "Your nick was taken by another connection while you were logging in; reconnect");
		return MOD_RES_DENY;
	}

	// Runs before the core's nick-in-use check, so the nick is free when it looks.
	static void YieldWebNick(LocalUser* user, const std::string& newnick)
	{
		ConnectClass* userClass = user->GetClass();
		if (!userClass || userClass->name != "public" || user->password.empty())
			return;
		User* found = ServerInstance->FindNickOnly(newnick);
		LocalUser* holder = found ? IS_LOCAL(found) : NULL;
		if (!holder || holder == user || holder->registered != REG_ALL)
			return;
		ConnectClass* holderClass = holder->GetClass();
		if (holderClass && holderClass->name == "gateway")
			holder->ChangeNick(holder->nick + "|web");
	}

	Version GetVersion() CXX11_OVERRIDE
	{
		return Version("Relaycast: a connection keeps the nick sqlauth checked until registration completes");
	}
};

MODULE_INIT(ModuleRelaycastNickGuard)
