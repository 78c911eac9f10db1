/**
 * The configuration is unusable; the server refuses to start. `problems` lists every
 * problem found (not just the first), each naming the environment variable to fix.
 */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
