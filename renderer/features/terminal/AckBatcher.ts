/**
 * Flow control: counts the bytes xterm has finished drawing and acknowledges them in batches,
 * once 64 KiB are pending or at most 20 ms after the first unacknowledged byte. The main process
 * pauses the channel until it hears back, so every counted byte is acknowledged.
 */
export class AckBatcher {
  private pending = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    private readonly send: (bytes: number) => void,
    private readonly threshold = 64 * 1024,
    private readonly delayMs = 20,
  ) {}

  add(bytes: number): void {
    if (this.disposed) return;
    this.pending += bytes;
    if (this.pending >= this.threshold) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  /** the session is over: nothing left to acknowledge */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const bytes = this.pending;
    this.pending = 0;
    if (bytes > 0) this.send(bytes);
  }
}
