export { CliError, EXIT, UsageError } from './errors.js';
export { buildProgram, main } from './program.js';
