import { type Command, Option } from 'commander';
import { SERVICE_NAMES } from '../credentials.js';
import { outputOf } from '../output.js';
import { exitWith } from './shared.js';

/** `emulator`, `demo`, `config`, `login`, `completion`: the commands around the transfers. */
export function defineToolCommands(program: Command): void {
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
      const { runEmulator } = await import('../commands/emulator.js');
      await runEmulator(options, outputOf(command));
    });
  emulator
    .command('stop')
    .description('stop the emulator started with --detach')
    .action(async (_options, command: Command) => {
      const { stopDetached } = await import('../commands/emulator-detached.js');
      await stopDetached(outputOf(command));
    });
  emulator
    .command('reset')
    .description(
      'reset the embedded emulators (--emulator, MEDIAFERRY_EMULATOR=1) to their demo data, freeing their disk space',
    )
    .option('--data <dir>', 'reset this data directory instead (one made by `emulator --data`)')
    .option('--seed <name>', 'fixture to load (demo, or none for empty services)', 'demo')
    .action(async (options: { data?: string; seed: string }, command: Command) => {
      const { resetEmulatorState } = await import('../commands/emulator-reset.js');
      await resetEmulatorState(options, outputOf(command));
    });

  program
    .command('demo')
    .description(
      'run the main job on embedded emulators: GoPro month → disk → B2 (SHA-1 verified), with a summary',
    )
    .option('--samples <dir>', 'instead, write the small sample media the README uses (clip.mp4, mix.mp3…)')
    .action(async (options: { samples?: string }, command: Command) => {
      if (options.samples !== undefined) {
        const { writeSamples } = await import('../commands/samples.js');
        return writeSamples(options.samples, outputOf(command));
      }
      const { runDemo } = await import('../commands/demo.js');
      const controller = new AbortController();
      const stop = () => controller.abort(new Error('interrupted'));
      process.once('SIGINT', stop);
      try {
        exitWith(await runDemo(outputOf(command), controller.signal));
      } finally {
        process.off('SIGINT', stop);
      }
    });

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
    .argument(
      '<value>',
      'the value; - reads it from standard input (hidden on a terminal), out of `ps` and history',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  mediaferry config set b2 keyId 0012ab34cd\n  mediaferry config set b2 key -              # asks, without echo\n  printf \'%s\\n\' "$TOKEN" | mediaferry config set gopro accessToken -',
    )
    .action(async (service: string, field: string, value: string, _o, command: Command) =>
      (await import('../commands/config.js')).configSet(service, field, value, command),
    );
  config
    .command('show')
    .description('where the file is and what it holds (secrets hidden)')
    .action(async (_o, command: Command) => (await import('../commands/config.js')).configShow(command));

  program
    .command('login')
    .description("ask for a service's credentials (hidden), check them against the service, save them (0600)")
    .argument('<service>', SERVICE_NAMES.join(', '))
    .option(
      '--url <url>',
      "the service's address, saved with the credentials (a running `mediaferry emulator`…)",
    )
    .addHelpText(
      'after',
      '\nOne line per value from standard input when it is not a terminal:\n  printf \'%s\\n%s\\n\' "$KEY_ID" "$KEY" | mediaferry login b2\nHow to get a GoPro or a Mixcloud token: README.md, "Getting a GoPro token" and "Getting a Mixcloud token".',
    )
    .action(async (service: string, options: { url?: string }, command: Command) =>
      (await import('../commands/login.js')).login(service, options, command),
    );

  program
    .command('completion')
    .description('print a shell completion script: bash, zsh or fish')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      '\nInstall:\n  bash: mediaferry completion bash > ~/.local/share/bash-completion/completions/mediaferry\n  zsh:  mediaferry completion zsh > ~/.zfunc/_mediaferry   # with fpath+=~/.zfunc before compinit\n  fish: mediaferry completion fish > ~/.config/fish/completions/mediaferry.fish',
    )
    .action(async (shell: string, _o, command: Command) =>
      (await import('../commands/completion.js')).printCompletion(shell, command.parent ?? command),
    );
}
