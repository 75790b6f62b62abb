import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { getConfig } from "./config.ts";
import { getLog } from "./logger.ts";

let transport: Transporter | undefined;

/**
 * Sends a plain-text mail over SMTP (SMTP_URL). Without SMTP the mail is written to the log for
 * the operator instead, so a one-machine install (`npm start`) can still reset a password.
 */
export async function sendMail({
  to,
  subject,
  text,
}: {
  to: string;
  subject: string;
  text: string;
}): Promise<void> {
  const { smtp } = getConfig();
  const log = getLog().child({ component: "mail" });
  if (!smtp) {
    log.warn({ to, subject, text }, "no SMTP_URL is configured: this mail was not sent; pass it on by hand");
    return;
  }
  transport ??= nodemailer.createTransport(smtp.url);
  await transport.sendMail({ from: smtp.from, to, subject, text });
  log.info({ to, subject }, "mail sent");
}
