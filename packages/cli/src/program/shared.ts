import type { Command } from 'commander';
import { CREDENTIALS, prefixedFlag, type ServiceName } from '../credentials.js';
import { collectRule } from '../filters/rules.js';

/** Adds a service's credential flags (`--key-id`, `--key`, `--token`…) to each of its commands. */
export function addCredentialFlags(group: Command, service: ServiceName, prefixed = false): void {
  const targets = prefixed ? [group] : group.commands;
  for (const command of targets) {
    for (const credential of CREDENTIALS[service].fields) {
      const flag = prefixed ? prefixedFlag(service, credential) : credential.flag;
      const warning = credential.secret ? ' (other users can see flags in `ps`: prefer the variable)' : '';
      command.option(`--${flag} <value>`, `${service} credential, else $${credential.env}${warning}`);
    }
  }
}

/** Sets the exit code a command returns without throwing. */
export function exitWith(code: number): void {
  process.exitCode = code;
}

/** Commander parser for repeatable flags. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The filter flags of copy, sync, ls and lsjson (rclone's names and meanings). */
export function addFilterFlags(command: Command): Command {
  return command
    .option(
      '--include <glob>',
      'only paths matching (repeatable; with --exclude, the first rule that matches decides)',
      collectRule,
    )
    .option(
      '--exclude <glob>',
      'leave out paths matching (repeatable): *.tmp, /top-level-only, folder/',
      collectRule,
    )
    .option('--min-size <size>', 'only files at least this big (e.g. 10M)')
    .option('--max-size <size>', 'only files at most this big (e.g. 2G)')
    .option(
      '--max-age <age>',
      'only files modified within this long (e.g. 7d, 12h) or since a date (2026-10-01)',
    )
    .option('--min-age <age>', 'only files modified at least this long ago, or before a date')
    .option(
      '--no-default-excludes',
      'also take .DS_Store, Thumbs.db, desktop.ini, .Trashes/, .Spotlight-V100/, temp files',
    );
}
