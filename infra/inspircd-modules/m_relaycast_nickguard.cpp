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
 * on the public port that sent a PASS asks for a nick held by a connection of the gateway's class,
 * the NICK waits while m_sqlauth's own query (<sqlauth dbid query hash>) checks that PASS for that
 * nick. Only if it accepts does the web connection go on as <nick>|web and the NICK proceed (and
 * m_sqlauth checks it once more at registration); otherwise the NICK proceeds unchanged and gets
 * 433 like any taken nick. Without the hand-over the client would get 433 for as long as the
 * user's chat panel is open; without the check, any PASS would rename anyone's web connection.
 *
 * Build: packages/chat/src/ircd/build-ircd-module.ts (g++ and the inspircd-dev headers).
 */

#include "inspircd.h"
#include "modules/hash.h"
#include "modules/sql.h"

class ModuleRelaycastNickGuard;

// m_sqlauth's query for a nick a client asked for, before the nick is taken from a web connection.
class HandoverQuery : public SQL::Query
{
	ModuleRelaycastNickGuard& guard;
	const std::string uuid;
	const std::string nick;

 public:
	HandoverQuery(Module* creator, ModuleRelaycastNickGuard& Guard, LocalUser* user, const std::string& Nick)
		: SQL::Query(creator)
		, guard(Guard)
		, uuid(user->uuid)
		, nick(Nick)
	{
	}

	void OnResult(SQL::Result& result) CXX11_OVERRIDE;
	void OnError(SQL::Error& error) CXX11_OVERRIDE;
};

class ModuleRelaycastNickGuard : public Module
{
	// Set once NICK and USER were both in, i.e. once m_sqlauth has started checking this nick.
	LocalIntExt checked;
	// The nick a client waits for while its PASS is checked for it.
	LocalStringExt waitingFor;
	dynamic_reference<SQL::Provider> sql;
	std::string query;
	std::vector<std::string> hashes;
	// Set while a held NICK is replayed, so it is not held again.
	bool isReplaying;

 public:
	ModuleRelaycastNickGuard()
		: checked("relaycast-nick-checked", ExtensionItem::EXT_USER, this)
		, waitingFor("relaycast-nick-waiting", ExtensionItem::EXT_USER, this)
		, sql(this, "SQL")
		, isReplaying(false)
	{
	}

	void ReadConfig(ConfigStatus& status) CXX11_OVERRIDE
	{
		ConfigTag* tag = ServerInstance->Config->ConfValue("sqlauth");
		sql.SetProvider("SQL/" + tag->getString("dbid"));
		query = tag->getString("query");
		hashes.clear();
		irc::commasepstream stream(tag->getString("hash"));
		for (std::string hash; stream.GetToken(hash); )
			hashes.push_back(hash);
	}

	// The checked query's answer: the nick is handed over only if the PASS is that user's token.
	void OnHandoverChecked(const std::string& uuid, const std::string& nick, bool isAccepted)
	{
		LocalUser* user = IS_LOCAL(ServerInstance->FindUUID(uuid));
		if (!user || user->quitting || user->registered == REG_ALL || waitingFor.get(user) == NULL || *waitingFor.get(user) != nick)
			return;
		waitingFor.unset(user);
		if (isAccepted)
		{
			LocalUser* holder = WebHolderOf(user, nick);
			if (holder)
				holder->ChangeNick(holder->nick + "|web");
		}
		// The client's NICK goes on as if it had just arrived: the nick, or 433 if still taken.
		CommandBase::Params params;
		params.push_back(nick);
		isReplaying = true;
		ServerInstance->Parser.CallHandler("NICK", params, user);
		isReplaying = false;
	}

	ModResult OnUserRegister(LocalUser* user) CXX11_OVERRIDE
	{
		checked.set(user, 1);
		return MOD_RES_PASSTHRU;
	}

	ModResult OnUserPreNick(LocalUser* user, const std::string& newnick) CXX11_OVERRIDE
	{
		if (user->registered == REG_ALL || isReplaying)
			return MOD_RES_PASSTHRU;
		if (!checked.get(user))
		{
			waitingFor.unset(user);
			return HoldForHandover(user, newnick);
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

	// A web connection (gateway class) holding the nick a public client with a PASS asks for.
	static LocalUser* WebHolderOf(LocalUser* user, const std::string& nick)
	{
		ConnectClass* userClass = user->GetClass();
		if (!userClass || userClass->name != "public" || user->password.empty())
			return NULL;
		User* found = ServerInstance->FindNickOnly(nick);
		LocalUser* holder = found ? IS_LOCAL(found) : NULL;
		if (!holder || holder == user || holder->registered != REG_ALL)
			return NULL;
		ConnectClass* holderClass = holder->GetClass();
		return holderClass && holderClass->name == "gateway" ? holder : NULL;
	}

	// Runs before the core's nick-in-use check: a nick held by a web connection waits for the check.
	ModResult HoldForHandover(LocalUser* user, const std::string& nick)
	{
		if (!WebHolderOf(user, nick) || !sql)
			return MOD_RES_PASSTHRU;
		SQL::ParamMap params;
		SQL::PopulateUserInfo(user, params);
		params["nick"] = nick;
		params["pass"] = user->password;
		for (std::vector<std::string>::const_iterator hash = hashes.begin(); hash != hashes.end(); ++hash)
		{
			HashProvider* provider = ServerInstance->Modules->FindDataService<HashProvider>("hash/" + *hash);
			if (provider && !provider->IsKDF())
				params[*hash + "pass"] = provider->Generate(user->password);
		}
		waitingFor.set(user, nick);
		sql->Submit(new HandoverQuery(this, *this, user, nick), query, params);
		return MOD_RES_DENY;
	}

	Version GetVersion() CXX11_OVERRIDE
	{
		return Version("Relaycast: a connection keeps the nick sqlauth checked until registration completes");
	}
};

void HandoverQuery::OnResult(SQL::Result& result)
{
	guard.OnHandoverChecked(uuid, nick, result.Rows() > 0);
}

void HandoverQuery::OnError(SQL::Error& error)
{
	ServerInstance->Logs->Log("m_relaycast_nickguard", LOG_DEFAULT, "Could not check a token before handing over a web nick: %s", error.ToString());
	guard.OnHandoverChecked(uuid, nick, false);
}

MODULE_INIT(ModuleRelaycastNickGuard)
