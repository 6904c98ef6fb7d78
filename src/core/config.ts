/**
 * A bad setting or input the operator can fix: its message is one line naming the variable or file,
 * what is wrong and how to fix it. The CLI and the server's entry point print it without a stack.
 */
export class ConfigError extends Error {}
