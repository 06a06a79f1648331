/**
 * A one-line progress bar: redrawn in place on a terminal, printed at each tenth otherwise (so a
 * CI log or a pipe gets a few readable lines instead of hundreds of carriage returns).
 */
export class ProgressBar {
  private lastTenth = -1;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stdout,
    private readonly width = 30,
  ) {}

  update(done: number, total: number): void {
    const ratio = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(ratio * this.width);
    const line = `${this.label} [${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}] ${Math.floor(ratio * 100)
      .toString()
      .padStart(3)}% ${done.toLocaleString('en')}/${total.toLocaleString('en')} events`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}`);
      return;
    }
    const tenth = Math.floor(ratio * 10);
    if (tenth === this.lastTenth) return;
    this.lastTenth = tenth;
    this.stream.write(`${line}\n`);
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
