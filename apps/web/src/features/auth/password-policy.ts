export const MIN_PASSWORD_LENGTH = 10;
/** Long enough for any passphrase, short enough that hashing it costs nothing unusual. */
export const MAX_PASSWORD_LENGTH = 128;

const COMMON_PASSWORDS = new Set([
  "1234567890",
  "12345678910",
  "0123456789",
  "1111111111",
  "0000000000",
  "1q2w3e4r5t",
  "qwertyuiop",
  "password12",
  "password123",
  "password1234",
  "passw0rd123",
  "iloveyou12",
  "letmein123",
  "welcome123",
  "qwerty1234",
  "qwerty12345",
  "abc1234567",
  "abcdefghij",
  "football12",
  "baseball12",
  "superman12",
  "starwars12",
  "dragon1234",
  "monkey1234",
  "trustno1234",
  "administrator",
  "changeme123",
  "sunshine12",
]);

/** Why a password is too weak to accept, or null when it will do. */
export function findPasswordWeakness(
  password: string,
  { username, email }: { username: string; email: string },
) {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Password must be at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Password must be at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered)) return "That password is too common.";
  if (new Set(password).size < 4) return "Password needs more different characters.";
  const identities = [username.toLowerCase(), email.toLowerCase().split("@")[0] ?? ""].filter(
    (part) => part.length >= 3,
  );
  if (identities.some((part) => lowered.includes(part)))
    return "Password must not contain your username or email.";
  return null;
}
