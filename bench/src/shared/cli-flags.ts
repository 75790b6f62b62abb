/** Removes `--name value` (or `--name=value`) from args and returns the value. */
export function takeOption(args: string[], name: string): string | undefined {
  const index = args.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
  if (index === -1) return undefined;
  const arg = args[index]!;
  if (arg.includes("=")) {
    args.splice(index, 1);
    return arg.slice(name.length + 1);
  }
  const value = args[index + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`${name} needs a value`);
  args.splice(index, 2);
  return value;
}

/** Removes a boolean `--name` from args and says whether it was there. */
export function takeFlag(args: string[], name: string): boolean {
  const index = args.indexOf(name);
  if (index === -1) return false;
  args.splice(index, 1);
  return true;
}

/** A positive number option, or the fallback when absent. */
export function takeNumber(args: string[], name: string, fallback: number): number {
  const value = takeOption(args, name);
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${name} must be a positive number`);
  return number;
}

/** A comma-separated list of positive integers, e.g. `--viewers 100,500`. */
export function takeIntegerList(args: string[], name: string): number[] | undefined {
  const value = takeOption(args, name);
  if (value === undefined) return undefined;
  const numbers = value.split(",").map((part) => Number(part.trim().replaceAll("_", "")));
  if (numbers.length === 0 || numbers.some((number) => !Number.isInteger(number) || number <= 0))
    throw new Error(`${name} must be a comma-separated list of positive integers`);
  return numbers;
}

/** Fails on flags nobody took: a typo should not silently run the default benchmark. */
export function rejectLeftovers(args: string[]): void {
  if (args.length > 0) throw new Error(`Unknown arguments: ${args.join(" ")}`);
}
