/** One `--include`/`--exclude` value, numbered in command-line order by {@link collectRule}. */
export interface RuleFlag {
  readonly pattern: string;
  readonly order: number;
}

let order = 0;

/**
 * Commander parser for `--include` and `--exclude`: commander keeps each flag's values apart, the number
 * keeps the order they were typed in across both (the first rule that matches decides). Loaded by `--help`,
 * so it imports nothing.
 */
export const collectRule = (pattern: string, previous: RuleFlag[] = []): RuleFlag[] => [
  ...previous,
  { pattern, order: order++ },
];
