/**
 * The one-line progress display of a live run on a terminal: elapsed time, the rate offered over
 * the last second, and the outcomes so far. Rewritten in place; never used when stderr is not a TTY.
 */
import type { Totals } from '../model/totals.ts';
import { outcomeLine } from '../load/recorder.ts';

export class ProgressLine {
  private lastOffered = 0;
  private lastElapsed = 0;
  private shown = false;
  private rps = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly plannedSeconds: number,
  ) {}

  update(elapsedSeconds: number, totals: Totals): void {
    const dt = elapsedSeconds - this.lastElapsed;
    // A rate over a sliver of a second is noise (the final update comes right after the last tick).
    if (dt >= 0.5) {
      this.rps = (totals.offered - this.lastOffered) / dt;
      this.lastOffered = totals.offered;
      this.lastElapsed = elapsedSeconds;
    }
    const rps = this.rps;
    const line =
      `${clock(elapsedSeconds)} / ${clock(this.plannedSeconds)}  offered ${Math.round(rps).toLocaleString('en-US')} rps  ` +
      outcomeLine(totals);
    const cols = this.stream.columns;
    const width = (cols && cols >= 40 ? cols : 100) - 1;
    this.stream.write(`\r${line.length > width ? line.slice(0, width - 1) + '…' : line.padEnd(width)}`);
    this.shown = true;
  }

  /** Leaves the last state on screen and moves to a fresh line. */
  end(): void {
    if (this.shown) this.stream.write('\n');
    this.shown = false;
  }
}

function clock(s: number): string {
  const t = Math.max(0, Math.floor(s));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}
