import { Command, CommanderError, Option } from 'commander';
import { CREDENTIALS, prefixedFlag, SERVICE_NAMES, type ServiceName } from './credentials.js';
import { CliError, EXIT, UsageError } from './errors.js';
import { colors, outputOf } from './output.js';

/** Adds a service's credential flags (`--key-id`, `--key`, `--token`…) to each of its commands. */
function addCredentialFlags(group: Command, service: ServiceName, prefixed = false): void {
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
function exitWith(code: number): void {
  process.exitCode = code;
}

/**
 * Builds the command tree. Actions import their modules lazily, so `mediaferry --help` loads no service
 * code and starts fast.
 */
export function buildProgram(): Command {
  const program = new Command('mediaferry')
    .description(
      'Move media between Backblaze B2, GoPro cloud, BigGo, Mixcloud and disk; run local emulators of all four.',
    )
    .version('0.1.0')
    .option('--json', 'machine-readable output (one JSON document on stdout)')
    .option('-q, --quiet', 'only errors')
    .option('-v, --verbose', 'log requests (secrets redacted) and show stack traces')
    .option('--emulator', 'use the embedded emulators (demo data) instead of the real services')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const emulator = program
    .command('emulator')
    .description(
      'serve local emulators of B2, GoPro, BigGo and Mixcloud (`emulator start` is the default; `emulator stop`)',
    );
  emulator
    .command('start', { isDefault: true })
    .description('serve the emulators until interrupted, or in the background with --detach')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('-p, --port <port>', 'first port; services take consecutive ports (0 = any free port)', '0')
    .option('--data <dir>', 'keep state and uploaded bytes in this directory across restarts')
    .addOption(new Option('--seed <name>', 'fixture to load when there is no saved state').default('demo'))
    .option(
      '--services <list>',
      'comma-separated subset, e.g. b2,gopro (probe: a generic test service, only when named)',
    )
    .option(
      '--option <service.name=value>',
      'set an emulator option (repeatable); GET <url>/__emulator/options lists them',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('-d, --detach', 'run in the background; print how to reach it and return (stop: emulator stop)')
    .option(
      '--env',
      'print `export VAR=value` lines for a shell: eval "$(mediaferry emulator --detach --env)"',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  mediaferry emulator\n  mediaferry emulator --port 9000 --data ./.emulator\n  mediaferry emulator --json --services b2\n  eval "$(mediaferry emulator --detach --env)"   # then: mediaferry emulator stop\n  mediaferry emulator --option mixcloud.oauthErrorStatus=401 --option gopro.strictAccept=true',
    )
    .action(async (options, command: Command) => {
      const { runEmulator } = await import('./commands/emulator.js');
      await runEmulator(options, outputOf(command));
    });
  emulator
    .command('stop')
    .description('stop the emulator started with --detach')
    .action(async (_options, command: Command) => {
      const { stopDetached } = await import('./commands/emulator-detached.js');
      await stopDetached(outputOf(command));
    });

  program
    .command('demo')
    .description(
      'run the main job on embedded emulators: GoPro month → disk → B2 (SHA-1 verified), with a summary',
    )
    .option('--samples <dir>', 'instead, write the small sample media the README uses (clip.mp4, mix.mp3…)')
    .action(async (options: { samples?: string }, command: Command) => {
      if (options.samples !== undefined) {
        const { writeSamples } = await import('./commands/samples.js');
        return writeSamples(options.samples, outputOf(command));
      }
      const { runDemo } = await import('./commands/demo.js');
      const controller = new AbortController();
      const stop = () => controller.abort(new Error('interrupted'));
      process.once('SIGINT', stop);
      try {
        exitWith(await runDemo(outputOf(command), controller.signal));
      } finally {
        process.off('SIGINT', stop);
      }
    });

  const b2 = program
    .command('b2')
    .description(
      'Backblaze B2: buckets, files, keys (credentials: B2_APPLICATION_KEY_ID, B2_APPLICATION_KEY)',
    );
  b2.command('buckets')
    .description('list buckets')
    .action(async (_o, command: Command) => (await import('./commands/b2.js')).b2Buckets(command));
  b2.command('ls')
    .description('list files under b2://bucket[/prefix]')
    .argument('<path>', 'b2://bucket[/prefix]')
    .option('-r, --recursive', 'do not group by folder')
    .option('--versions', 'every version, hide markers included')
    .addHelpText(
      'after',
      '\nExamples:\n  mediaferry b2 ls b2://my-media/gopro/\n  mediaferry b2 ls b2://my-media -r --json',
    )
    .action(async (path: string, options, command: Command) =>
      (await import('./commands/b2.js')).b2Ls(path, options, command),
    );
  b2.command('upload')
    .description('upload a file (large files in parallel parts)')
    .argument('<file>', 'local file')
    .argument('<target>', 'b2://bucket/name, or b2://bucket/folder/')
    .option('-j, --jobs <n>', 'parts in flight', '4')
    .option('--content-type <type>', 'MIME type (default: B2 guesses)')
    .action(async (file: string, target: string, options, command: Command) =>
      (await import('./commands/b2.js')).b2Upload(file, target, options, command),
    );
  b2.command('download')
    .description('download a file, SHA-1 verified, never half-written')
    .argument('<source>', 'b2://bucket/name')
    .argument('<dest>', 'file or folder')
    .option('-j, --jobs <n>', 'ranges in flight', '1')
    .action(async (source: string, dest: string, options, command: Command) =>
      (await import('./commands/b2.js')).b2Download(source, dest, options, command),
    );
  b2.command('rm')
    .description('delete the newest version (or all with --all-versions)')
    .argument('<path>', 'b2://bucket/name')
    .option('--all-versions', 'delete every version')
    .action(async (path: string, options, command: Command) =>
      (await import('./commands/b2.js')).b2Rm(path, options, command),
    );
  b2.command('hide')
    .description('hide a file (a new hide-marker version)')
    .argument('<path>', 'b2://bucket/name')
    .action(async (path: string, _o, command: Command) =>
      (await import('./commands/b2.js')).b2Hide(path, command),
    );
  b2.command('keys')
    .description('list application keys')
    .action(async (_o, command: Command) => (await import('./commands/b2.js')).b2Keys(command));

  const gopro = program
    .command('gopro')
    .description('GoPro cloud media library (credentials: GP_ACCESS_TOKEN)');
  gopro
    .command('ls')
    .description('list media captured between two dates (inclusive)')
    .requiredOption('--from <date>', 'YYYY-MM-DD')
    .requiredOption('--to <date>', 'YYYY-MM-DD')
    .action(async (options, command: Command) =>
      (await import('./commands/gopro.js')).goproLs(options, command),
    );
  gopro
    .command('pull')
    .description('download media captured between two dates into a folder (skips files already there)')
    .argument('<dest>', 'folder')
    .requiredOption('--from <date>', 'YYYY-MM-DD')
    .requiredOption('--to <date>', 'YYYY-MM-DD')
    .option('-j, --jobs <n>', 'downloads in flight', '4')
    .option('--height <px>', 'preferred video height')
    .option('--width <px>', 'preferred video width')
    .addHelpText('after', '\nExamples:\n  mediaferry gopro pull ./october --from 2026-10-01 --to 2026-10-31')
    .action(async (dest: string, options, command: Command) =>
      exitWith(await (await import('./commands/gopro.js')).goproPull(dest, options, command)),
    );

  const collect = (value: string, previous: string[] = []) => [...previous, value];

  const biggo = program
    .command('biggo')
    .description('BigGo videos (credentials: BIGGO_CLIENT_ID, BIGGO_CLIENT_SECRET)');
  biggo
    .command('videos')
    .description("list your videos (or another user's with --user)")
    .option('--user <userid>', 'a user id')
    .action(async (options, command: Command) =>
      (await import('./commands/biggo.js')).biggoVideos(options, command),
    );
  biggo
    .command('upload')
    .description('upload and publish a video (deleted again if the setup step fails)')
    .argument('<file>', 'video file')
    .requiredOption('--title <title>', 'video title')
    .option('--description <text>', 'description')
    .option('--access <access>', 'public, private (default) or unlisted')
    .option('--wait', 'wait until BigGo has processed it')
    .action(async (file: string, options, command: Command) =>
      (await import('./commands/biggo.js')).biggoUpload(file, options, command),
    );
  biggo
    .command('update')
    .description('change title, description or access')
    .argument('<id>', 'video id')
    .option('--title <title>')
    .option('--description <text>')
    .option('--access <access>', 'public, private or unlisted')
    .action(async (id: string, options, command: Command) =>
      (await import('./commands/biggo.js')).biggoUpdate(id, options, command),
    );
  biggo
    .command('rm')
    .description('delete a video')
    .argument('<id>', 'video id')
    .action(async (id: string, _o, command: Command) =>
      (await import('./commands/biggo.js')).biggoRm(id, command),
    );

  const mixcloud = program
    .command('mixcloud')
    .description('Mixcloud shows (credentials: MIXCLOUD_ACCESS_TOKEN)');
  mixcloud
    .command('get')
    .description('any object or list: a user, a show, user/followers…')
    .argument('<key>', 'e.g. spartacus, spartacus/party-time, spartacus/cloudcasts')
    .action(async (key: string, _o, command: Command) =>
      (await import('./commands/mixcloud.js')).mixcloudGet(key, command),
    );
  mixcloud
    .command('search')
    .argument('<query>')
    .option('--type <type>', 'cloudcast, user or tag', 'cloudcast')
    .option('--limit <n>')
    .option('--offset <n>')
    .action(async (query: string, options, command: Command) =>
      (await import('./commands/mixcloud.js')).mixcloudSearch(query, options, command),
    );
  mixcloud
    .command('popular')
    .option('--limit <n>')
    .option('--offset <n>')
    .action(async (options, command: Command) =>
      (await import('./commands/mixcloud.js')).mixcloudPopular(options, command),
    );
  const uploadOptions = (command: Command) =>
    command
      .option('--description <text>')
      .option('--tag <tag>', 'a tag (repeat, at most 5)', collect)
      .option('--section <section>', 'SECONDS:Chapter or SECONDS:Artist - Song (repeat)', collect)
      .option('--picture <file>', 'cover image (≤ 10 MiB)')
      .option('--unlisted', 'private link only');
  uploadOptions(
    mixcloud
      .command('upload')
      .description('upload a show (the audio streams)')
      .argument('<file>', 'mp3 file')
      .requiredOption('--name <name>', 'show title'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  mediaferry mixcloud upload mix.mp3 --name "Sunday Session" --tag house --tag deep --section "0:Intro" --section "95:Somebody - Some song"',
    )
    .action(async (file: string, options, command: Command) =>
      (await import('./commands/mixcloud.js')).mixcloudUpload(file, options, command),
    );
  uploadOptions(
    mixcloud
      .command('edit')
      .description('edit a show; tags and sections replace the old ones')
      .argument('<key>', 'user/slug, or a slug of yours')
      .option('--name <name>'),
  ).action(async (key: string, options, command: Command) =>
    (await import('./commands/mixcloud.js')).mixcloudEdit(key, options, command),
  );
  for (const [name, action] of [
    ['follow', 'follow'],
    ['unfollow', 'unfollow'],
    ['favorite', 'favorite'],
    ['unfavorite', 'unfavorite'],
    ['repost', 'repost'],
    ['unrepost', 'unrepost'],
    ['listen-later', 'listenLater'],
    ['unlisten-later', 'unlistenLater'],
  ] as const) {
    mixcloud
      .command(name)
      .argument('<key>', name.includes('follow') ? 'a user' : 'a show, user/slug')
      .action(async (key: string, _o, command: Command) =>
        (await import('./commands/mixcloud.js')).mixcloudAction(action, key, command),
      );
  }

  addCredentialFlags(b2, 'b2');
  addCredentialFlags(gopro, 'gopro');
  addCredentialFlags(biggo, 'biggo');
  addCredentialFlags(mixcloud, 'mixcloud');

  const config = program
    .command('config')
    .description('credentials in ~/.config/mediaferry/config.json (mode 0600)');
  config
    .command('set')
    .description('save one credential field')
    .argument('<service>', 'b2, gopro, biggo or mixcloud')
    .argument(
      '<field>',
      'b2: keyId, key, url · gopro: accessToken, url · biggo: clientId, clientSecret, url · mixcloud: accessToken, url',
    )
    .argument('<value>')
    .action(async (service: string, field: string, value: string, _o, command: Command) =>
      (await import('./commands/config.js')).configSet(service, field, value, command),
    );
  config
    .command('show')
    .description('where the file is and what it holds (secrets hidden)')
    .action(async (_o, command: Command) => (await import('./commands/config.js')).configShow(command));

  const copy = program
    .command('copy')
    .description(
      'copy media between disk and any service, streaming, verifying SHA-1, skipping what is already there',
    )
    .argument(
      '<src>',
      'a local file or folder, b2://bucket/prefix or b2://bucket/file, gopro://FROM..TO or gopro://MEDIA_ID, biggo:// (your videos) or biggo://VIDEO_ID',
    )
    .argument('<dst>', 'a local folder, b2://bucket/prefix, biggo://, mixcloud://user')
    .option('-j, --jobs <n>', 'transfers at a time', '4')
    .option('-n, --dry-run', 'list what would be copied, copy nothing')
    .option(
      '-c, --checksum',
      'skip only files whose SHA-1 matches (reads files to hash them where a side does not store it)',
    )
    .option('--size-only', 'skip files of the same size, even if their content changed')
    .option('--part-size <size>', 'part size of large B2 uploads, e.g. 64M (default: the account recommends)')
    .addHelpText(
      'after',
      `
A file is skipped when the destination provably holds it: the same SHA-1 where both sides know it,
otherwise the same size and modification time (each skip line says which). Partial downloads wait in
DEST/.mediaferry-partial/ and a re-run resumes them; interrupted large B2 uploads resume from their parts.

Examples:
  mediaferry copy gopro://2026-10-01..2026-10-31 ./october
  mediaferry copy ./october b2://my-media/gopro/2026-10/ -j 8
  mediaferry copy b2://my-media/gopro/ ./restore --dry-run
  mediaferry copy b2://my-media/gopro/GX010001.MP4 ./restore
  mediaferry copy ./mix.mp3 mixcloud://me`,
    )
    .addHelpText(
      'after',
      "\nCredentials: each service's variables or config entries, or --b2-key-id, --b2-key, --gopro-token, --biggo-client-id, --biggo-client-secret, --mixcloud-token.",
    )
    .action(async (src: string, dst: string, options, command: Command) => {
      const { runCopy } = await import('./commands/copy.js');
      exitWith(await runCopy(src, dst, options, command));
    });
  for (const service of SERVICE_NAMES) addCredentialFlags(copy, service, true);

  return program;
}

/** Runs the CLI: one clear line per error (a stack only with --verbose) and the documented exit codes. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    // Commands report a non-zero outcome (failed items, interruption) through process.exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return EXIT.ok;
      return EXIT.usage;
    }
    const verbose = argv.includes('--verbose') || argv.includes('-v');
    if (error instanceof UsageError || error instanceof CliError) {
      process.stderr.write(`${colors.red('error')} ${error.message}\n`);
      if (error.hint) process.stderr.write(`${colors.dim('hint')}  ${error.hint}\n`);
      if (verbose && error.stack) process.stderr.write(`${error.stack}\n`);
      return error instanceof UsageError ? EXIT.usage : error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${colors.red('error')} ${message}\n`);
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write(`${colors.dim('hint')}  run again with --verbose for details\n`);
    return EXIT.failure;
  }
}
