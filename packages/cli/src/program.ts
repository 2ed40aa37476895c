import { Command, CommanderError } from 'commander';
import { CliError, EXIT, UsageError } from './errors.js';
import { colors } from './output.js';
import { defineServiceCommands } from './program/service-commands.js';
import { defineToolCommands } from './program/tool-commands.js';
import { defineTransferCommands } from './program/transfer-commands.js';

/**
 * Builds the command tree. Actions import their modules lazily, so `mediaferry --help` loads no service
 * code and starts fast.
 */
export function buildProgram(): Command {
  const program = new Command('mediaferry')
    .description(
      'Move media between Backblaze B2, GoPro cloud, BigGo, Mixcloud and disk; run local emulators of all four.',
    )
    .option('-V, --version', 'print the version of mediaferry and of each of its packages')
    .option('--json', 'machine-readable output (one JSON document on stdout)')
    .option('-q, --quiet', 'no progress and no notes; what you asked for (a listing) and errors still print')
    .option(
      '-v, --verbose',
      'list skipped and excluded files, log requests (secrets redacted), show stack traces',
    )
    .option(
      '--stats <interval>',
      'when stderr is not a terminal, print progress every interval (10s; 0: never)',
    )
    .option('--emulator', 'use the embedded emulators (demo data) instead of the real services')
    .option(
      '--max-state <size>',
      "largest the embedded emulators' saved state may grow (default 1G, or $MEDIAFERRY_EMULATOR_MAX_STATE); over it, it is reset to the demo data",
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  defineToolCommands(program);
  defineServiceCommands(program);
  defineTransferCommands(program);
  return program;
}

/** `--version` / `-V` before any command name. */
function asksVersion(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--version' || arg === '-V') return true;
    if (!arg.startsWith('-')) return false;
  }
  return false;
}

function printError(
  error: { message: string; hint?: string | undefined },
  verbose: boolean,
  stack?: string,
): void {
  process.stderr.write(`${colors.red('error')} ${error.message}\n`);
  if (error.hint) process.stderr.write(`${colors.dim('hint')}  ${error.hint}\n`);
  if (verbose && stack) process.stderr.write(`${stack}\n`);
}

/** Runs the CLI: one clear line per error, a hint that says what to do, and the documented exit codes. */
export async function main(argv: readonly string[]): Promise<number> {
  if (asksVersion(argv)) {
    await (await import('./commands/version.js')).printVersion(argv.includes('--json'));
    return EXIT.ok;
  }
  const program = buildProgram();
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    // Commands report a non-zero outcome (failed items, interruption) through process.exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code))
        return EXIT.ok;
      return EXIT.usage;
    }
    if (error instanceof UsageError || error instanceof CliError) {
      printError(error, verbose, error.stack);
      return error instanceof UsageError ? EXIT.usage : error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    const { hintFor } = await import('./hints.js');
    const hint =
      hintFor(error) ??
      (verbose ? undefined : 'run again with --verbose to see the requests and the stack trace');
    printError({ message, hint }, verbose, error instanceof Error ? error.stack : undefined);
    return EXIT.failure;
  }
}
