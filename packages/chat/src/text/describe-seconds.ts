const UNITS = [
  { seconds: 86_400, name: "day" },
  { seconds: 3_600, name: "hour" },
  { seconds: 60, name: "minute" },
] as const;

/** A whole duration in words: 600 → "10 minutes", 90 → "90 seconds", 86400 → "1 day". */
export function describeSeconds(total: number): string {
  const unit = UNITS.find(({ seconds }) => total >= seconds && total % seconds === 0);
  const count = unit ? total / unit.seconds : total;
  const name = unit?.name ?? "second";
  return `${count} ${name}${count === 1 ? "" : "s"}`;
}
