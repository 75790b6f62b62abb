import { execFile } from "node:child_process";
import { access, chmod, mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export type TlsCertificateFiles = { certFile: string; keyFile: string };

const VALID_DAYS = 3650;

/**
 * `<dir>/cert.pem` and `<dir>/key.pem`: kept if both exist, else a self-signed certificate for
 * `commonName` (ECDSA P-256, ten years) is generated with the openssl command. Node's crypto makes
 * keys but not certificates, and openssl is on every machine that has InspIRCd's TLS libraries.
 * The key is readable by its owner only. For a public server, give a real certificate instead.
 */
export async function ensureTlsCertificate({
  dir,
  commonName,
  openssl = "openssl",
}: {
  dir: string;
  commonName: string;
  openssl?: string;
}): Promise<TlsCertificateFiles> {
  const files = { certFile: join(dir, "cert.pem"), keyFile: join(dir, "key.pem") };
  if ((await exists(files.certFile)) && (await exists(files.keyFile))) return files;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Written beside the targets and renamed, so a crash never leaves a half-made pair.
  const temp = { certFile: `${files.certFile}.tmp`, keyFile: `${files.keyFile}.tmp` };
  try {
    await run(openssl, [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-sha256",
      "-days",
      String(VALID_DAYS),
      "-subj",
      `/CN=${commonName}`,
      "-addext",
      `subjectAltName=DNS:${commonName},DNS:localhost,IP:127.0.0.1`,
      "-keyout",
      temp.keyFile,
      "-out",
      temp.certFile,
    ]);
    await chmod(temp.keyFile, 0o600);
    await rename(temp.keyFile, files.keyFile);
    await rename(temp.certFile, files.certFile);
  } catch (error) {
    await Promise.all([rm(temp.certFile, { force: true }), rm(temp.keyFile, { force: true })]);
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new Error(
      `Cannot generate the IRC server's TLS certificate with ${openssl} (install openssl, or give a certificate): ${detail}`,
    );
  }
  return files;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
