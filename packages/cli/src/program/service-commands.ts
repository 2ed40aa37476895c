import type { Command } from 'commander';
import { addCredentialFlags, collect, exitWith } from './shared.js';

/** The per-service command groups: `b2`, `gopro`, `biggo`, `mixcloud`. */
export function defineServiceCommands(program: Command): void {
  const b2 = program
    .command('b2')
    .description(
      'Backblaze B2: buckets, files, keys (credentials: B2_APPLICATION_KEY_ID, B2_APPLICATION_KEY)',
    );
  b2.command('buckets')
    .description('list buckets')
    .action(async (_o, command: Command) => (await import('../commands/b2.js')).b2Buckets(command));
  b2.command('ls')
    .description('list files under b2://bucket[/prefix]')
    .argument('<path>', 'b2://bucket[/prefix]')
    .option('-r, --recursive', 'do not group by folder')
    .option('-l, --long', "long format: size, modification time (the uploader's, else the upload's), SHA-1")
    .option('--versions', 'every version, hide markers included')
    .addHelpText(
      'after',
      '\nExamples:\n  mediaferry b2 ls b2://my-media/gopro/\n  mediaferry b2 ls b2://my-media -r --json',
    )
    .action(async (path: string, options, command: Command) =>
      (await import('../commands/b2.js')).b2Ls(path, options, command),
    );
  b2.command('upload')
    .description('upload a file (large files in parallel parts)')
    .argument('<file>', 'local file')
    .argument('<target>', 'b2://bucket/name, or b2://bucket/folder/')
    .option('-j, --jobs <n>', 'parts in flight', '4')
    .option('--content-type <type>', 'MIME type (default: B2 guesses)')
    .action(async (file: string, target: string, options, command: Command) =>
      (await import('../commands/b2.js')).b2Upload(file, target, options, command),
    );
  b2.command('download')
    .description('download a file, SHA-1 verified, never half-written')
    .argument('<source>', 'b2://bucket/name')
    .argument('<dest>', 'file or folder')
    .option(
      '-j, --jobs <n>',
      'ranges in flight (default: one stream, growing to 4 for a file of 64 MiB or more while the link is slower than this machine)',
    )
    .action(async (source: string, dest: string, options, command: Command) =>
      (await import('../commands/b2.js')).b2Download(source, dest, options, command),
    );
  b2.command('rm')
    .description('delete the newest version (or all with --all-versions)')
    .argument('<path>', 'b2://bucket/name')
    .option('--all-versions', 'delete every version')
    .action(async (path: string, options, command: Command) =>
      (await import('../commands/b2.js')).b2Rm(path, options, command),
    );
  b2.command('hide')
    .description('hide a file (a new hide-marker version)')
    .argument('<path>', 'b2://bucket/name')
    .action(async (path: string, _o, command: Command) =>
      (await import('../commands/b2.js')).b2Hide(path, command),
    );
  b2.command('keys')
    .description('list application keys')
    .action(async (_o, command: Command) => (await import('../commands/b2.js')).b2Keys(command));

  const gopro = program
    .command('gopro')
    .description('GoPro cloud media library (credentials: GP_ACCESS_TOKEN)');
  gopro
    .command('ls')
    .description('list the files `gopro pull` would write for media captured between two dates (inclusive)')
    .requiredOption('--from <date>', 'YYYY-MM-DD')
    .requiredOption('--to <date>', 'YYYY-MM-DD')
    .option(
      '--layout <layout>',
      'names as `pull --layout` gives them: source (flat) or date (2026/10/03/…)',
      'source',
    )
    .option('--height <px>', 'preferred video height')
    .option('--width <px>', 'preferred video width')
    .action(async (options, command: Command) =>
      (await import('../commands/gopro.js')).goproLs(options, command),
    );
  gopro
    .command('pull')
    .description(
      'download media captured between two dates into a folder (skips files already there; mtime = capture time)',
    )
    .argument('<dest>', 'folder')
    .requiredOption('--from <date>', 'YYYY-MM-DD')
    .requiredOption('--to <date>', 'YYYY-MM-DD')
    .option('-j, --jobs <n>', 'downloads in flight', '4')
    .option('--height <px>', 'preferred video height')
    .option('--width <px>', 'preferred video width')
    .option(
      '--layout <layout>',
      'source: one folder; date: DEST/2026/10/03/GX….MP4 by capture day (UTC)',
      'source',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  mediaferry gopro pull ./october --from 2026-10-01 --to 2026-10-31\n  mediaferry gopro pull ./library --from 2026-10-01 --to 2026-10-31 --layout date',
    )
    .action(async (dest: string, options, command: Command) =>
      exitWith(await (await import('../commands/gopro.js')).goproPull(dest, options, command)),
    );

  const biggo = program
    .command('biggo')
    .description('BigGo videos (credentials: BIGGO_CLIENT_ID, BIGGO_CLIENT_SECRET)');
  biggo
    .command('videos')
    .description("list your videos (or another user's with --user)")
    .option('--user <userid>', 'a user id')
    .action(async (options, command: Command) =>
      (await import('../commands/biggo.js')).biggoVideos(options, command),
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
      (await import('../commands/biggo.js')).biggoUpload(file, options, command),
    );
  biggo
    .command('update')
    .description('change title, description or access')
    .argument('<id>', 'video id')
    .option('--title <title>')
    .option('--description <text>')
    .option('--access <access>', 'public, private or unlisted')
    .action(async (id: string, options, command: Command) =>
      (await import('../commands/biggo.js')).biggoUpdate(id, options, command),
    );
  biggo
    .command('rm')
    .description('delete a video')
    .argument('<id>', 'video id')
    .action(async (id: string, _o, command: Command) =>
      (await import('../commands/biggo.js')).biggoRm(id, command),
    );

  const mixcloud = program
    .command('mixcloud')
    .description('Mixcloud shows (credentials: MIXCLOUD_ACCESS_TOKEN)');
  mixcloud
    .command('get')
    .description('any object or list: a user, a show, user/followers…')
    .argument('<key>', 'e.g. spartacus, spartacus/party-time, spartacus/cloudcasts')
    .action(async (key: string, _o, command: Command) =>
      (await import('../commands/mixcloud.js')).mixcloudGet(key, command),
    );
  mixcloud
    .command('search')
    .argument('<query>')
    .option('--type <type>', 'cloudcast, user or tag', 'cloudcast')
    .option('--limit <n>')
    .option('--offset <n>')
    .action(async (query: string, options, command: Command) =>
      (await import('../commands/mixcloud.js')).mixcloudSearch(query, options, command),
    );
  mixcloud
    .command('popular')
    .option('--limit <n>')
    .option('--offset <n>')
    .action(async (options, command: Command) =>
      (await import('../commands/mixcloud.js')).mixcloudPopular(options, command),
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
      (await import('../commands/mixcloud.js')).mixcloudUpload(file, options, command),
    );
  uploadOptions(
    mixcloud
      .command('edit')
      .description('edit a show; tags and sections replace the old ones')
      .argument('<key>', 'user/slug, or a slug of yours')
      .option('--name <name>'),
  ).action(async (key: string, options, command: Command) =>
    (await import('../commands/mixcloud.js')).mixcloudEdit(key, options, command),
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
        (await import('../commands/mixcloud.js')).mixcloudAction(action, key, command),
      );
  }

  addCredentialFlags(b2, 'b2');
  addCredentialFlags(gopro, 'gopro');
  addCredentialFlags(biggo, 'biggo');
  addCredentialFlags(mixcloud, 'mixcloud');
}
