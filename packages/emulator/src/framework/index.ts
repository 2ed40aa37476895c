export { generatedBytes } from './blob-chunks.js';
export { blobIdsIn } from './blob-refs.js';
export type { BlobInfo, BlobRecord, ByteRange } from './blobs.js';
export { BlobStore, BlobTooLargeError } from './blobs.js';
export { EmulatorClock, MAX_VIRTUAL_TIME } from './clock.js';
export { ControlInputError } from './control-input.js';
export type { ControlPlane } from './control-plane.js';
export { DataDirError } from './data-dir.js';
export type {
  EmulatorApp,
  EmulatorContext,
  EmulatorEnv,
  ServiceContext,
  ServiceDefinition,
} from './define.js';
export { defineService } from './define.js';
export type { Emulator, EmulatorOptions, ListenOptions, RunningServer } from './emulator.js';
export { createEmulator } from './emulator.js';
export type { ErrorSpec } from './failure.js';
export { fail, HttpFailure } from './failure.js';
export type { FaultSpec, WireFaultKind, WireFaultSpec } from './faults.js';
export { defaultCodeFor, FaultList, WIRE_FAULT_KINDS } from './faults.js';
export { IdGenerator } from './ids.js';
export type { ConsoleAction, ConsoleCell, ConsoleNode, ConsolePage, ServiceConsole } from './inspect.js';
export { ConsoleActionError, formatBytes, isoCell, isPicture, monoCell, sizeCell } from './inspect.js';
export type { CapturedBody, JournalDetail, JournalEntry, JournalFilter, JournalListener } from './journal.js';
export { Journal } from './journal.js';
export type { AcquireOptions, LockHolder } from './lock.js';
export { DataDirBusyError, DirLock, LOCK_FILE } from './lock.js';
export { makeDir } from './make-dir.js';
export type { MultipartFileInfo, MultipartOptions, MultipartResult } from './multipart.js';
export { type MultipartBody, readMultipart } from './multipart.js';
export type { OptionCatalog, OptionSpec, OptionType, OptionView } from './options.js';
export { defaultsOf, OptionError, OptionsControl, validateOptions } from './options.js';
export type { JournalRedactor } from './redact.js';
export type { RequestBody } from './request-body.js';
export { requestChunks, requestHasBody } from './request-body.js';
export type { ServeBlobOptions } from './serve-blob.js';
export { parseRange, serveBlob } from './serve-blob.js';
export type { NodeBindings } from './wire.js';
