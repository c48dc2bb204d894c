/** Connection errors counted by code, to name the most frequent one in a plain warning ("ECONNREFUSED"). */
export class ErrorTally {
  private readonly counts = new Map<string, number>();

  add(err: Error): void {
    const code = (err as { code?: string }).code ?? err.name ?? 'Error';
    this.counts.set(code, (this.counts.get(code) ?? 0) + 1);
  }

  /** The code seen most often (the first of equals), undefined when none was seen. */
  mostFrequent(): string | undefined {
    let first: string | undefined;
    let most = 0;
    for (const [k, n] of this.counts) if (n > most) [first, most] = [k, n];
    return first;
  }
}
