import type { ControlPlane } from '../framework/control-plane.js';
import type { ServiceContext } from '../framework/define.js';
import type { ServiceConsole } from '../framework/inspect.js';
import type { JournalRedactor } from '../framework/redact.js';

/** What the console needs of the emulator it runs in. */
export interface ConsoleHost {
  readonly name: string;
  readonly control: ControlPlane;
  // biome-ignore lint/suspicious/noExplicitAny: the console serves every service, whatever its state type
  readonly context: ServiceContext<any, any>;
  readonly redactor: JournalRedactor;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  readonly console: ServiceConsole<any, any> | undefined;
  /** The emulators started beside this one, itself included (empty when it runs alone). */
  peers(): readonly PeerLink[];
  /** Makes what an action changed durable before the console answers. */
  commit(): Promise<void>;
  /** The emulator's in-process `fetch`, for console actions that go through the service's API. */
  readonly fetch: typeof fetch;
}

/** An emulator running beside this one: where it serves, and its console host (same process). */
export interface PeerLink {
  readonly name: string;
  readonly url: string;
  readonly host: ConsoleHost;
}

/** Where every emulator serves its console. */
export const CONSOLE_PATH = '/__emulator/ui/';

/** Every service's summary counts, from its console definition (empty without one). */
export function summaryOf(host: ConsoleHost): Record<string, number> {
  return host.console?.summary(host.context) ?? {};
}
