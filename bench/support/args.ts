/** The command line every sized bench takes: `[MiB] [--json] [--tmp DIR] [--reps N]`. */
export interface BenchArgs {
  readonly sizeMiB: number;
  readonly json: boolean;
  /** Where the bench's temporary directory goes (default: the OS temp dir). */
  readonly tmp: string | undefined;
  readonly reps: number;
}

const VALUE_FLAGS = ['--tmp', '--reps'];

export function benchArgs(
  argv: readonly string[],
  defaults: { sizeMiB: number; reps?: number; minMiB?: number; positional?: string },
): BenchArgs {
  const flagValue = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const positional = argv.filter((arg, i) => !arg.startsWith('--') && !VALUE_FLAGS.includes(argv[i - 1]!));
  const sizeMiB = Number(positional[0] ?? defaults.sizeMiB);
  const reps = Number(flagValue('--reps') ?? defaults.reps ?? 1);
  const minMiB = defaults.minMiB ?? 1;
  // A bench whose number is not a size (a count of calls) names it in the error.
  const name = defaults.positional ?? 'MiB';
  if (!Number.isInteger(sizeMiB) || sizeMiB < minMiB)
    throw new Error(`${name} must be an integer ≥ ${minMiB}`);
  if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps must be a positive integer');
  return { sizeMiB, json: argv.includes('--json'), tmp: flagValue('--tmp'), reps };
}
