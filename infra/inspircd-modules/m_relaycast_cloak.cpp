/*
 * Relaycast: every user's displayed host is a keyed hash of their IP address (InspIRCd 3).
 *
 * Web viewers reach IRC through the gateway with WEBIRC, which sets their real IP; IRC clients
 * connect with theirs. Without a cloak any guest reads those addresses with WHO, WHOIS or on JOIN.
 * InspIRCd 3.15's m_cloaking only knows its MD5 modes, so this module cloaks with HMAC-SHA256
 * (m_sha256) under <relaycastcloak key>, a key the gateway derives from IRC_SECRET: every server
 * of a network shows the same cloak for an address, and nobody without the key can reverse it.
 *
 * The cloak keeps the address's hierarchy, most specific part first, so a channel ban can still
 * cover a network by its cloak:
 *   IPv4 a.b.c.d  ->  H(a.b.c.d/32).H(a.b.c.0/24).H(a.b.0.0/16).ip
 *   IPv6          ->  H(/128).H(/64).H(/48).ip
 * where H is the first 10 hex digits of HMAC-SHA256(key, "<address>/<bits>").
 *
 * Only the displayed host changes: channel bans, K/G/Z-lines and WEBIRC still match the real
 * host and IP, and opers with users/auspex see the real host in WHOIS.
 *
 * Build: packages/chat/src/ircd/build-ircd-module.ts (g++ and the inspircd-dev headers).
 */

#include "inspircd.h"
#include "modules/hash.h"

class ModuleRelaycastCloak : public Module
{
	dynamic_reference<HashProvider> sha256;
	std::string key;

	std::string Part(const irc::sockets::sockaddrs& address, unsigned char bits)
	{
		const std::string mask = irc::sockets::cidr_mask(address, bits).str();
		return BinToHex(sha256->hmac(key, mask)).substr(0, 10);
	}

	std::string CloakOf(LocalUser* user)
	{
		const irc::sockets::sockaddrs& address = user->client_sa;
		if (address.family() == AF_INET)
			return Part(address, 32) + "." + Part(address, 24) + "." + Part(address, 16) + ".ip";
		if (address.family() == AF_INET6)
			return Part(address, 128) + "." + Part(address, 64) + "." + Part(address, 48) + ".ip";
		// A UNIX socket: no address to hide, but one cloak for every such user.
		return BinToHex(sha256->hmac(key, "unix")).substr(0, 10) + ".local";
	}

	void Cloak(LocalUser* user)
	{
		if (!sha256 || user->quitting)
			return;
		user->ChangeDisplayedHost(CloakOf(user));
	}

 public:
	ModuleRelaycastCloak()
		: sha256(this, "hash/sha256")
	{
	}

	void ReadConfig(ConfigStatus& status) CXX11_OVERRIDE
	{
		// Checked here, not in init(): at startup every module is loaded before services are linked.
		if (!sha256)
			throw ModuleException("m_relaycast_cloak needs m_sha256");
		const std::string configured = ServerInstance->Config->ConfValue("relaycastcloak")->getString("key");
		if (configured.length() < 32)
			throw ModuleException("<relaycastcloak:key> must be at least 32 characters long");
		key = configured;
	}

	// On connect and whenever WEBIRC changes the IP (which resets the displayed host).
	void OnSetUserIP(LocalUser* user) CXX11_OVERRIDE
	{
		Cloak(user);
	}

	// Again when registration completes, before the user can be seen: a host lookup may have reset it.
	void OnUserConnect(LocalUser* user) CXX11_OVERRIDE
	{
		Cloak(user);
	}

	void Prioritize() CXX11_OVERRIDE
	{
		// Before spanningtree introduces the user to the other servers.
		ServerInstance->Modules->SetPriority(this, I_OnUserConnect, PRIORITY_FIRST);
	}

	Version GetVersion() CXX11_OVERRIDE
	{
		return Version("Relaycast: displayed hosts are HMAC-SHA256 cloaks of the user's IP");
	}
};

MODULE_INIT(ModuleRelaycastCloak)
