import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deriveIrcCredentials } from "./irc-credentials.ts";
import { parsePgsqlUrl, renderIrcdConfig, type TIrcdConfigOptions } from "./render-ircd-config.ts";

const credentials = deriveIrcCredentials("unit-test-secret-0123456789");
const base: TIrcdConfigOptions = {
  credentials,
  databaseUrl: "postgresql://relaycast:pw@db.internal:5433/relaycast",
  runDir: "/var/lib/relaycast/irc",
};

function sha256(value: string) {
  return createHash("sha256").update(value).digest("hex");
}

describe("renderIrcdConfig", () => {
  it("fills every placeholder with the defaults", () => {
    const config = renderIrcdConfig(base);
    expect(config).not.toContain("{{");
    expect(config).toContain(
      '<server name="irc.relaycast.local" description="Relaycast chat" id="0AA" network="Relaycast">',
    );
    expect(config).toContain('<bind address="127.0.0.1" port="6667" type="clients">');
    expect(config).toContain('<bind address="127.0.0.1" port="6670" type="clients">');
    expect(config).toContain('<bind address="127.0.0.1" port="7000" type="servers">');
    expect(config).toContain('<pid file="/var/lib/relaycast/irc/inspircd.pid">');
    expect(config).toContain('target="/var/lib/relaycast/irc/ircd.log"');
    expect(config).toContain('netbuffersize="65534"');
    expect(config).toContain('maxident="64"');
    expect(config).toContain(
      '<database module="pgsql" id="platform" host="db.internal" port="5433" name="relaycast" user="relaycast" pass="pw" ssl="no">',
    );
    expect(config).toContain('<chanhistory bots="yes" enableumode="yes" maxlines="100" prefixmsg="yes">');
    expect(config).not.toContain("<link ");
    expect(config).not.toContain('<path moduledir="');
    expect(config).toContain(`<relaycastcloak key="${credentials.cloakKey}">`);
    // No certificate given: no TLS port.
    expect(config).not.toContain("sslprofile");
  });

  it("writes the gateway, WEBIRC and oper passwords only as SHA-256 hashes", () => {
    const config = renderIrcdConfig(base);
    for (const secret of [
      credentials.gatewayPassword,
      credentials.webircPassword,
      credentials.operPassword,
    ]) {
      expect(config).not.toContain(secret);
    }
    expect(config).toMatch(
      new RegExp(
        `<connect name="gateway" allow="\\*" port="6670" password="${sha256(credentials.gatewayPassword)}" hash="sha256"`,
      ),
    );
    expect(config).toContain(
      `<cgihost type="webirc" password="${sha256(credentials.webircPassword)}" hash="sha256" mask="127.0.0.1">`,
    );
    expect(config).toContain(
      `<oper name="${credentials.operName}" password="${sha256(credentials.operPassword)}" hash="sha256" host="*@127.0.0.1" type="Gateway">`,
    );
  });

  it("takes ports, hosts and the server identity from the options", () => {
    const config = renderIrcdConfig({
      ...base,
      serverName: "irc2.relaycast.local",
      serverId: "0AB",
      bindHost: "0.0.0.0",
      publicPort: 6668,
      tlsPort: 6698,
      tls: { certFile: "/etc/relaycast/irc.crt", keyFile: "/etc/relaycast/irc.key" },
      gatewayPort: 6671,
      serverPort: 7001,
      gatewayHosts: ["10.0.0.0/8", "::1"],
      historyLines: 50,
    });
    expect(config).toContain('id="0AB"');
    expect(config).toContain('<bind address="0.0.0.0" port="6668" type="clients">');
    expect(config).toContain(
      '<sslprofile name="public-tls" provider="gnutls" certfile="/etc/relaycast/irc.crt"\n            keyfile="/etc/relaycast/irc.key"',
    );
    expect(config).toContain('<bind address="0.0.0.0" port="6698" type="clients" sslprofile="public-tls">');
    expect(config).toContain('<connect name="public" allow="*" port="6668,6698"');
    expect(config).toContain('<bind address="127.0.0.1" port="6671" type="clients">');
    expect(config).toContain('<bind address="0.0.0.0" port="7001" type="servers">');
    expect(config).toContain('mask="10.0.0.0/8 ::1"');
    expect(config).toContain('host="*@10.0.0.0/8 *@::1"');
    expect(config).toContain('defaultmodes="notHb 50:1d m:guest-*!*@*"');
  });

  it("renders a link per peer, with the shared link password and optional autoconnect", () => {
    const config = renderIrcdConfig({
      ...base,
      autoconnectPeriodSeconds: 10,
      peers: [
        { name: "irc1.relaycast.local", host: "10.0.0.1", port: 7000, autoconnect: true },
        {
          name: "irc3.relaycast.local",
          host: "10.0.0.3",
          port: 7002,
          password: "other-pass",
          allowMask: "10.0.0.0/24",
        },
      ],
    });
    const password = credentials.linkPassword;
    expect(config).toContain(
      `<link name="irc1.relaycast.local" ipaddr="10.0.0.1" port="7000"\n      timeout="30s" sendpass="${password}" recvpass="${password}" hidden="no" statshidden="no">\n<autoconnect period="10s" server="irc1.relaycast.local">`,
    );
    expect(config).toContain(
      '<link name="irc3.relaycast.local" ipaddr="10.0.0.3" port="7002" allowmask="10.0.0.0/24"',
    );
    expect(config).toContain('sendpass="other-pass" recvpass="other-pass"');
    expect(config.match(/<autoconnect /g)).toHaveLength(1);
  });

  it("loads extra modules from a module directory", () => {
    const config = renderIrcdConfig({
      ...base,
      moduleDir: "/data/irc/modules",
      extraModules: ["relaycast_nickguard"],
    });
    expect(config).toContain('<config format="xml">\n<path moduledir="/data/irc/modules">');
    expect(config).toContain('<module name="relaycast_nickguard">');
    expect(() => renderIrcdConfig({ ...base, extraModules: ["relaycast_nickguard"] })).toThrow(
      "extraModules need a moduleDir",
    );
  });

  it("escapes quotes and ampersands, and libpq quoting in database values", () => {
    const config = renderIrcdConfig({
      ...base,
      serverDescription: 'Relaycast "live" & chat <3',
      databaseUrl: `postgres://app:${encodeURIComponent(`p'a\\ss&"w>`)}@127.0.0.1/db`,
    });
    expect(config).toContain('description="Relaycast &quot;live&quot; &amp; chat &lt;3"');
    expect(config).toContain(`pass="p\\'a\\\\ss&amp;&quot;w&gt;"`);
  });

  it("refuses newlines and config syntax where they could start a new tag, without echoing secrets", () => {
    expect(() => renderIrcdConfig({ ...base, serverDescription: "chat\n<oper name=x>" })).toThrow(
      "serverDescription: must not contain control characters or newlines",
    );
    expect(() => renderIrcdConfig({ ...base, serverName: 'irc.x" id="0AB' })).toThrow("serverName");
    expect(() => renderIrcdConfig({ ...base, bindHost: "127.0.0.1> <bind" })).toThrow("bindHost");
    expect(() => renderIrcdConfig({ ...base, runDir: "/tmp/a\nb" })).toThrow("runDir");
    const badSecret = "secret with space";
    expect(() =>
      renderIrcdConfig({ ...base, credentials: { ...credentials, gatewayPassword: badSecret } }),
    ).toThrow("credentials.gatewayPassword");
    try {
      renderIrcdConfig({ ...base, credentials: { ...credentials, gatewayPassword: badSecret } });
    } catch (error) {
      expect((error as Error).message).not.toContain(badSecret);
    }
    expect(() => renderIrcdConfig({ ...base, databaseUrl: "postgres://u:p%0Aq@host/db" })).toThrow(
      "the password in databaseUrl contains a control character",
    );
  });

  it("refuses a bad server id, clashing ports and a peer named like this server", () => {
    expect(() => renderIrcdConfig({ ...base, serverId: "AAA" })).toThrow("serverId");
    expect(() => renderIrcdConfig({ ...base, publicPort: 7000 })).toThrow("must differ");
    expect(() =>
      renderIrcdConfig({ ...base, peers: [{ name: "irc.relaycast.local", host: "127.0.0.1", port: 7001 }] }),
    ).toThrow("peer names");
    expect(() => renderIrcdConfig({ ...base, databaseUrl: "mysql://x@y/z" })).toThrow("postgres://");
  });
});

describe("parsePgsqlUrl", () => {
  it("reads host, port, database, user, password and sslmode", () => {
    expect(parsePgsqlUrl("postgresql://postgres@127.0.0.1:5432/relaycast_test_1")).toEqual({
      host: "127.0.0.1",
      port: 5432,
      dbname: "relaycast_test_1",
      user: "postgres",
      password: "",
      ssl: false,
    });
    expect(parsePgsqlUrl("postgres://a%40b:c%3Ad@[::1]/x?sslmode=require")).toEqual({
      host: "::1",
      port: 5432,
      dbname: "x",
      user: "a@b",
      password: "c:d",
      ssl: true,
    });
  });
});
