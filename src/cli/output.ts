import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/**
 * Writes command output. Colour only when stdout is a terminal and NO_COLOR is unset; `--json`
 * output never goes through `paint`.
 */
export class Output {
  readonly #colour: boolean;

  constructor(stream: NodeJS.WriteStream = process.stdout) {
    this.#colour =
      stream.isTTY === true && process.env.NO_COLOR === undefined && process.env.FORCE_COLOR !== '0';
  }

  /** `text` in a style, or plain when colour is off. */
  paint(style: Style, text: string): string {
    return this.#colour ? styleText(style, text) : text;
  }

  /** A line to stdout. */
  line(text = ''): void {
    process.stdout.write(`${text}\n`);
  }

  /** A value as one JSON document on stdout. */
  json(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A line to stderr. */
  error(text: string): void {
    process.stderr.write(`${text}\n`);
  }
}
