import type { Command } from 'commander';
import { SERVICE_NAMES } from '../credentials.js';
import { addCredentialFlags, addFilterFlags, exitWith } from './shared.js';

const LOCATIONS =
  'a local file or folder, b2://bucket/prefix or b2://bucket/file, gopro://FROM..TO or gopro://MEDIA_ID, biggo:// (your videos) or biggo://VIDEO_ID';

const CHANGE_RULES = `
A file is skipped when the destination provably holds it: the same SHA-1 where both sides know it,
otherwise the same size and modification time (each skip says which; -v lists skips). Partial downloads
wait in DEST/.mediaferry-partial/ and a re-run resumes them; interrupted large B2 uploads resume from their
parts. Modification times are kept: local → B2 records src_last_modified_millis, B2 → local restores it
(else the upload time), GoPro → local sets the capture time. BigGo takes only video files and Mixcloud only
audio files (by extension and by their first bytes); anything else is skipped with the reason.
Filters follow rclone: --include/--exclude globs in the order given, the first match decides; junk
(.DS_Store, Thumbs.db, desktop.ini, .Trashes/, .Spotlight-V100/, temp files) is skipped unless
--no-default-excludes.`;

const CREDENTIAL_NOTE =
  "\nCredentials: each service's variables or config entries, or --b2-key-id, --b2-key, --gopro-token, --biggo-client-id, --biggo-client-secret, --mixcloud-token.";

/** The flags `copy` and `sync` share. */
function jobFlags(command: Command): Command {
  return addFilterFlags(
    command
      .option('-j, --jobs <n>', 'transfers at a time', '4')
      .option('-n, --dry-run', 'list every action, do none')
      .option(
        '-c, --checksum',
        'skip only files whose SHA-1 matches (reads files to hash them where a side does not store it)',
      )
      .option('--size-only', 'skip files of the same size, even if their content changed')
      .option(
        '--part-size <size>',
        'part size of large B2 uploads, e.g. 64M (default: the account recommends)',
      )
      .option(
        '--layout <layout>',
        "source: keep the source's paths; date: YYYY/MM/DD/<name> by modification or capture day (UTC)",
        'source',
      ),
  );
}

/** `copy`, `sync`, `ls`, `lsjson`: the commands that work on any location. */
export function defineTransferCommands(program: Command): void {
  const copy = jobFlags(
    program
      .command('copy')
      .description(
        'copy media between disk and any service, streaming, verifying SHA-1, skipping what is already there',
      )
      .argument('<src>', LOCATIONS)
      .argument('<dst>', 'a local folder, b2://bucket/prefix, biggo://, mixcloud://user'),
  )
    .addHelpText(
      'after',
      `${CHANGE_RULES}

Examples:
  mediaferry copy gopro://2026-10-01..2026-10-31 ./october
  mediaferry copy gopro://2026-10-01..2026-10-31 ./library --layout date
  mediaferry copy ./october b2://my-media/gopro/2026-10/ -j 8
  mediaferry copy b2://my-media/gopro/ ./restore --dry-run
  mediaferry copy b2://my-media/gopro/GX010001.MP4 ./restore
  mediaferry copy ./october b2://my-media/clips/ --include "*.MP4" --max-age 30d
  mediaferry copy ./mix.mp3 mixcloud://me`,
    )
    .addHelpText('after', CREDENTIAL_NOTE)
    .action(async (src: string, dst: string, options, command: Command) => {
      const { runCopy } = await import('../commands/copy.js');
      exitWith(await runCopy(src, dst, options, command));
    });
  for (const service of SERVICE_NAMES) addCredentialFlags(copy, service, true);

  const sync = jobFlags(
    program
      .command('sync')
      .description(
        'make DST like SRC: copy what is new or changed; with --delete, remove what SRC no longer has',
      )
      .argument('<src>', LOCATIONS)
      .argument('<dst>', 'a local folder or b2://bucket/prefix (biggo:// and mixcloud:// without --delete)'),
  )
    .option('--delete', 'remove from DST the files SRC does not have (B2: hide them; local: delete them)')
    .option(
      '--delete-versions',
      'with a b2:// DST: delete every version instead of hiding (implies --delete)',
    )
    .addHelpText(
      'after',
      `
Deletes run only after every copy succeeded over a complete listing (like rclone's --delete-after): a
sync that fails or is interrupted part-way deletes nothing. Files the filters leave out are never
deleted. --dry-run lists every copy and every delete.
${CHANGE_RULES}

Examples:
  mediaferry sync ./october b2://my-media/gopro/2026-10/ --dry-run --delete
  mediaferry sync ./october b2://my-media/gopro/2026-10/ --delete
  mediaferry sync b2://my-media/gopro/ ./mirror --delete --exclude "*.LRV"`,
    )
    .addHelpText('after', CREDENTIAL_NOTE)
    .action(async (src: string, dst: string, options, command: Command) => {
      const { runSync } = await import('../commands/sync.js');
      exitWith(await runSync(src, dst, options, command));
    });
  for (const service of SERVICE_NAMES) addCredentialFlags(sync, service, true);

  const where = `${LOCATIONS}, mixcloud://user (their shows)`;
  const ls = addFilterFlags(
    program
      .command('ls')
      .description('list what a location holds, recursively, as a copy from it would see it')
      .argument('<location>', where)
      .option('-l, --long', 'long format: size, modification time, SHA-1, path')
      .option('-c, --checksum', 'compute the SHA-1 of local files too (reads them)')
      .option('--layout <layout>', 'paths as a copy with --layout would name them: source or date', 'source'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  mediaferry ls ./october\n  mediaferry ls -l b2://my-media/gopro/\n  mediaferry ls gopro://2026-10-01..2026-10-31 --layout date\n  mediaferry ls mixcloud://spartacus',
    )
    .action(async (location: string, options, command: Command) =>
      (await import('../commands/ls.js')).runLs(location, options, command, false),
    );
  for (const service of SERVICE_NAMES) addCredentialFlags(ls, service, true);

  const lsjson = addFilterFlags(
    program
      .command('lsjson')
      .description(
        'list a location as one JSON array (rclone lsjson fields: Path, Name, Size, ModTime, Hashes…)',
      )
      .argument('<location>', where)
      .option('-c, --checksum', 'compute the SHA-1 of local files too (reads them)')
      .option('--layout <layout>', 'paths as a copy with --layout would name them: source or date', 'source'),
  ).action(async (location: string, options, command: Command) =>
    (await import('../commands/ls.js')).runLs(location, options, command, true),
  );
  for (const service of SERVICE_NAMES) addCredentialFlags(lsjson, service, true);
}
