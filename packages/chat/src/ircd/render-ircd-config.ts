import { readFileSync } from "node:fs";
import { isAbsolute } from "node:path";
import { hashSecret } from "@relaycast/db";
import { z } from "zod";
import type { IrcCredentials } from "./irc-credentials.ts";

export const IRCD_CONFIG_TEMPLATE_URL = new URL("../../../../infra/inspircd.conf.template", import.meta.url);

export const IRCD_DEFAULT_PORTS = {
  publicPort: 6667,
  tlsPort: 6697,
  gatewayPort: 6670,
  serverPort: 7000,
} as const;

const SERVER_NAME = /^(?=.{3,64}$)[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const HOST = /^[A-Za-z0-9.:-]{1,253}$/;
const HOST_MASK = /^[A-Za-z0-9.:*?/-]{1,253}$/;
/** Printable ASCII without spaces, not starting with ":" (IRC parameters and link passwords). */
const TOKEN = /^(?!:)[!-~]{1,256}$/;

const ZPort = z.number().int().min(1).max(65535);
const ZText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !hasControlChars(value), "must not contain control characters or newlines");

const ZAbsolutePath = z
  .string()
  .refine((value) => isAbsolute(value), "must be an absolute path")
  .refine((value) => !hasControlChars(value), "must not contain control characters or newlines");

const ZCredentials = z.object({
  gatewayPassword: z.string().regex(TOKEN, "must be printable ASCII without spaces"),
  webircPassword: z.string().regex(TOKEN, "must be printable ASCII without spaces"),
  operName: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "must be 1-32 letters, digits, _ or -"),
  operPassword: z.string().regex(TOKEN, "must be printable ASCII without spaces"),
  linkPassword: z.string().regex(TOKEN, "must be printable ASCII without spaces"),
  cloakKey: z.string().regex(TOKEN, "must be printable ASCII without spaces").min(32),
  databasePassword: z.string().regex(TOKEN, "must be printable ASCII without spaces"),
}) satisfies z.ZodType<IrcCredentials>;

const ZIrcdPeer = z.object({
  /** The peer's <server:name>. */
  name: z.string().regex(SERVER_NAME, "must be a server name with a dot, e.g. irc2.relaycast.local"),
  /** Address the peer's server port listens on (and, without allowMask, the address it connects from). */
  host: z.string().regex(HOST, "must be an IP address or host name"),
  port: ZPort,
  /** Defaults to credentials.linkPassword. */
  password: z.string().regex(TOKEN, "must be printable ASCII without spaces").optional(),
  /** IP mask the peer may connect from; InspIRCd defaults to host. */
  allowMask: z.string().regex(HOST_MASK, "must be an IP, host or CIDR mask").optional(),
  /** Whether this server connects out to the peer (one side of each link is enough). */
  autoconnect: z.boolean().default(false),
});

export const ZIrcdConfigOptions = z
  .object({
    serverName: z
      .string()
      .regex(SERVER_NAME, "must be a server name with a dot, e.g. irc.relaycast.local")
      .default("irc.relaycast.local"),
    /** Server id: three characters, a digit then two digits or capital letters, unique in the network. */
    serverId: z
      .string()
      .regex(/^[0-9][0-9A-Z]{2}$/, "must be a digit followed by two digits or capital letters, e.g. 0AA")
      .default("0AA"),
    serverDescription: ZText(128).default("Relaycast chat"),
    networkName: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,32}$/, "must be 1-32 letters, digits, '.', '_' or '-'")
      .default("Relaycast"),
    /** Address of the public and server listeners; "*" for all interfaces. */
    bindHost: z
      .string()
      .regex(/^(\*|[A-Za-z0-9.:-]{1,253})$/, "must be an IP address, host name or *")
      .default("127.0.0.1"),
    /** Address of the gateway listener; loopback unless the gateway runs on another machine. */
    gatewayBindHost: z
      .string()
      .regex(/^(\*|[A-Za-z0-9.:-]{1,253})$/, "must be an IP address, host name or *")
      .default("127.0.0.1"),
    publicPort: ZPort.default(IRCD_DEFAULT_PORTS.publicPort),
    /** The public port with TLS (same connect class as publicPort); open only with `tls`. */
    tlsPort: ZPort.default(IRCD_DEFAULT_PORTS.tlsPort),
    /** PEM certificate (chain) and key of the TLS port; without them the server has no TLS port. */
    tls: z.object({ certFile: ZAbsolutePath, keyFile: ZAbsolutePath }).optional(),
    gatewayPort: ZPort.default(IRCD_DEFAULT_PORTS.gatewayPort),
    serverPort: ZPort.default(IRCD_DEFAULT_PORTS.serverPort),
    /** Hosts/IPs (masks or CIDR allowed) the gateway connects from: WEBIRC and the oper login accept only these. */
    gatewayHosts: z
      .array(z.string().regex(HOST_MASK, "must be an IP, host or CIDR mask"))
      .min(1)
      .default(["127.0.0.1"]),
    credentials: ZCredentials,
    /** postgres:// URL of the platform database, for sqlauth. */
    databaseUrl: z.string().min(1),
    /** Absolute directory for the pid file (and, by default, the log and MOTD files). */
    runDir: ZAbsolutePath,
    /** Where InspIRCd writes its log (IrcdProcess tails it). Default `<runDir>/ircd.log`. */
    logFile: ZAbsolutePath.optional(),
    /** MOTD text file. Default `<runDir>/motd.txt`. */
    motdFile: ZAbsolutePath.optional(),
    /** <path moduledir>: a directory holding InspIRCd's modules plus extraModules. */
    moduleDir: ZAbsolutePath.optional(),
    /** Extra modules to load from moduleDir, by name without m_ and .so (e.g. "relaycast_nickguard"). */
    extraModules: z
      .array(z.string().regex(/^[a-z0-9_]{1,64}$/, "must be a module name like relaycast_nickguard"))
      .default([]),
    historyLines: z.number().int().min(1).max(1000).default(100),
    /** Upper bound for connections (softlimit) and for the gateway class (one connection per viewer). */
    maxConnections: z.number().int().min(16).max(1_000_000).default(10_000),
    /**
     * Connections per IP on the public port. Every connection from the IP counts, the gateway's web
     * viewers too (WEBIRC gives them their own IP): room for a household or an office behind one address.
     */
    publicMaxPerIp: z.number().int().min(1).max(100_000).default(100),
    /** Channels one gateway connection (one viewer) may join. */
    gatewayMaxChannels: z.number().int().min(1).max(100_000).default(100),
    /** Channels the gateway's oper connection may join. */
    operMaxChannels: z.number().int().min(1).max(1_000_000).default(20_000),
    peers: z.array(ZIrcdPeer).default([]),
    autoconnectPeriodSeconds: z.number().int().min(1).max(3600).default(5),
  })
  .superRefine((options, context) => {
    const ports = [options.publicPort, options.tlsPort, options.gatewayPort, options.serverPort];
    if (new Set(ports).size !== ports.length) {
      context.addIssue({
        code: "custom",
        message: "publicPort, tlsPort, gatewayPort and serverPort must differ",
      });
    }
    const names = options.peers.map((peer) => peer.name.toLowerCase());
    if (new Set(names).size !== names.length || names.includes(options.serverName.toLowerCase())) {
      context.addIssue({
        code: "custom",
        path: ["peers"],
        message: "peer names must be unique and differ from serverName",
      });
    }
    if (options.extraModules.length > 0 && !options.moduleDir) {
      context.addIssue({ code: "custom", path: ["moduleDir"], message: "extraModules need a moduleDir" });
    }
  });

export type TIrcdConfigOptions = z.input<typeof ZIrcdConfigOptions>;
export type TIrcdPeer = z.input<typeof ZIrcdPeer>;

/** The parts of a postgres:// URL that m_pgsql takes. */
export type PgsqlConnection = {
  host: string;
  port: number;
  dbname: string;
  user: string;
  password: string;
  ssl: boolean;
};

let cachedTemplate: string | undefined;

/** infra/inspircd.conf.template, read once. */
export function loadIrcdConfigTemplate(): string {
  cachedTemplate ??= readFileSync(IRCD_CONFIG_TEMPLATE_URL, "utf8");
  return cachedTemplate;
}

/**
 * The InspIRCd configuration for these options: validates them (throws an Error naming the bad
 * field, never its value), fills the template's {{placeholders}} with XML-escaped values and adds one
 * <link> block per peer. Passwords the server only compares are written as SHA-256 hashes.
 */
export function renderIrcdConfig(input: TIrcdConfigOptions, template = loadIrcdConfigTemplate()): string {
  const parsed = ZIrcdConfigOptions.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "options"}: ${issue.message}`,
    );
    throw new Error(`Invalid IRC server options: ${issues.join("; ")}`);
  }
  const options = parsed.data;
  const db = parsePgsqlUrl(options.databaseUrl);
  const { credentials } = options;

  const values: Record<string, string> = {
    serverName: options.serverName,
    serverId: options.serverId,
    serverDescription: options.serverDescription,
    networkName: options.networkName,
    bindHost: options.bindHost,
    gatewayBindHost: options.gatewayBindHost,
    publicPort: String(options.publicPort),
    publicPorts: options.tls ? `${options.publicPort},${options.tlsPort}` : String(options.publicPort),
    gatewayPort: String(options.gatewayPort),
    serverPort: String(options.serverPort),
    pidFile: `${options.runDir}/inspircd.pid`,
    logFile: options.logFile ?? `${options.runDir}/ircd.log`,
    motdFile: options.motdFile ?? `${options.runDir}/motd.txt`,
    maxConnections: String(options.maxConnections),
    historyLines: String(options.historyLines),
    gatewayMaxChannels: String(options.gatewayMaxChannels),
    publicMaxPerIp: String(options.publicMaxPerIp),
    operMaxChannels: String(options.operMaxChannels),
    gatewayPasswordHash: hashSecret(credentials.gatewayPassword),
    webircPasswordHash: hashSecret(credentials.webircPassword),
    operName: credentials.operName,
    operPasswordHash: hashSecret(credentials.operPassword),
    gatewayHostMasks: options.gatewayHosts.join(" "),
    gatewayOperHosts: options.gatewayHosts.map((host) => `*@${host}`).join(" "),
    cloakKey: credentials.cloakKey,
    dbHost: conninfoValue(db.host),
    dbPort: String(db.port),
    dbName: conninfoValue(db.dbname),
    dbUser: conninfoValue(db.user),
    dbPassword: conninfoValue(db.password),
    dbSsl: db.ssl ? "yes" : "no",
  };

  const sections: Record<string, () => string> = {
    links: () => renderLinks(options),
    tlsListener: () => renderTlsListener(options),
    modulePath: () => (options.moduleDir ? `<path moduledir="${escapeConfigValue(options.moduleDir)}">` : ""),
    extraModules: () => options.extraModules.map((name) => `<module name="${name}">`).join("\n"),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const section = sections[name];
    if (section) return section();
    const value = values[name];
    if (value === undefined)
      throw new Error(`The IRC config template uses an unknown placeholder {{${name}}}`);
    return escapeConfigValue(value);
  });
}

/** m_ssl_gnutls (the only TLS module of Debian's build) and the TLS listener, when a certificate is given. */
function renderTlsListener(options: z.output<typeof ZIrcdConfigOptions>): string {
  if (!options.tls) return "";
  return [
    `<module name="ssl_gnutls">`,
    // WHOIS tells who is on an encrypted connection (671).
    `<module name="sslinfo">`,
    `<sslprofile name="public-tls" provider="gnutls" certfile="${escapeConfigValue(options.tls.certFile)}"`,
    `            keyfile="${escapeConfigValue(options.tls.keyFile)}" hash="sha256" requestclientcert="no">`,
    `<bind address="${escapeConfigValue(options.bindHost)}" port="${options.tlsPort}" type="clients" sslprofile="public-tls">`,
  ].join("\n");
}

function renderLinks(options: z.output<typeof ZIrcdConfigOptions>): string {
  return options.peers
    .map((peer) => {
      const password = escapeConfigValue(peer.password ?? options.credentials.linkPassword);
      const allowMask = peer.allowMask ? ` allowmask="${escapeConfigValue(peer.allowMask)}"` : "";
      const lines = [
        `<link name="${escapeConfigValue(peer.name)}" ipaddr="${escapeConfigValue(peer.host)}" port="${peer.port}"${allowMask}`,
        `      timeout="30s" sendpass="${password}" recvpass="${password}" hidden="no" statshidden="no">`,
      ];
      if (peer.autoconnect) {
        lines.push(
          `<autoconnect period="${options.autoconnectPeriodSeconds}s" server="${escapeConfigValue(peer.name)}">`,
        );
      }
      return lines.join("\n");
    })
    .join("\n");
}

/**
 * A value inside an InspIRCd config attribute ("..."): & and " (and < >) become XML entities, which
 * InspIRCd 3 decodes; control characters, newlines included, are refused.
 */
export function escapeConfigValue(value: string): string {
  if (hasControlChars(value)) throw new Error("An IRC config value contains a control character or newline");
  return value.replace(
    /[&"<>]/g,
    (char) => ({ "&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;" })[char] ?? char,
  );
}

/**
 * m_pgsql puts each <database> value between single quotes in a libpq conninfo string without
 * escaping it; libpq reads \' and \\ inside quotes, so escape those here.
 */
function conninfoValue(value: string): string {
  return value.replace(/[\\']/g, (char) => `\\${char}`);
}

/** Host, port, database, user, password and ssl from a postgres:// URL. */
export function parsePgsqlUrl(databaseUrl: string): PgsqlConnection {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error("Invalid IRC server options: databaseUrl is not a URL");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new Error("Invalid IRC server options: databaseUrl must be a postgres:// or postgresql:// URL");
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!host) throw new Error("Invalid IRC server options: databaseUrl has no host");
  const sslmode =
    url.searchParams.get("sslmode") ?? (url.searchParams.get("ssl") === "true" ? "require" : "disable");
  const connection = {
    host,
    port: url.port ? Number(url.port) : 5432,
    dbname: decodeURIComponent(url.pathname.replace(/^\//, "")) || "postgres",
    user: decodeURIComponent(url.username) || "postgres",
    password: decodeURIComponent(url.password),
    ssl: ["require", "verify-ca", "verify-full"].includes(sslmode),
  };
  for (const [field, value] of Object.entries(connection)) {
    if (typeof value === "string" && hasControlChars(value)) {
      throw new Error(`Invalid IRC server options: the ${field} in databaseUrl contains a control character`);
    }
  }
  return connection;
}

/** Whether the text holds a C0 control character (newlines included) or DEL. */
function hasControlChars(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
