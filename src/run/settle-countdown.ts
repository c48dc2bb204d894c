/**
 * The visible wait before a staging run reads CloudWatch: its metrics arrive minutes late, so the
 * run counts down (Ctrl-C skips) rather than read too soon and under-count the run's tail.
 */

/** "2m41s", "45s": the countdown's remaining time. */
export function countdownText(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = `${String(s % 60).padStart(2, '0')}s`;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m${rest}` : `${m}m${rest}`;
}

/**
 * Waits `seconds` with a countdown on `stream`: rewritten in place every second on a TTY, a line
 * every 30 s otherwise (logs stay short). Answers 'skipped' when `signal` aborts first.
 */
export function waitToSettle(
  seconds: number,
  o: { signal?: AbortSignal; stream?: { write(s: string): unknown; isTTY?: boolean }; everySeconds?: number } = {},
): Promise<'settled' | 'skipped'> {
  if (o.signal?.aborted) return Promise.resolve('skipped');
  if (!(seconds > 0)) return Promise.resolve('settled');
  const tty = o.stream?.isTTY === true;
  const every = o.everySeconds ?? (tty ? 1 : 30);
  const deadline = Date.now() + seconds * 1000;
  const line = (left: number) => `waiting ${countdownText(left)} for CloudWatch metrics to settle… (Ctrl-C to skip)`;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let shown: number | undefined;
    const finish = (how: 'settled' | 'skipped') => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (tty) o.stream?.write('\r\x1b[K');
      if (how === 'skipped') o.stream?.write('skipped the wait: CloudWatch is not read; the run is reported from the client\'s counts\n');
      resolve(how);
    };
    const onAbort = () => finish('skipped');
    const tick = () => {
      const leftMs = deadline - Date.now();
      if (leftMs <= 0) return finish('settled');
      const left = Math.ceil(leftMs / 1000);
      if (shown === undefined || shown - left >= every) {
        o.stream?.write(tty ? `\r${line(left)}\x1b[K` : `${line(left)}\n`);
        shown = left;
      }
      // wake on the whole seconds of the countdown, so the display never skips a number
      timer = setTimeout(tick, leftMs % 1000 || 1000);
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    tick();
  });
}
