/**
 * Execution log records appended to a file, one JSON line each, without ever holding up the engine:
 * lines wait in a bounded buffer while the file catches up, and when it is full new lines are dropped
 * and counted (AWS's CloudWatch Logs delivery is best effort too). A slow disk slows nothing but itself.
 */
import { createWriteStream, type WriteStream } from "node:fs";

export class ExecutionLogFile {
  private readonly stream: WriteStream;
  private readonly waiting: string[] = [];
  private writing = false;
  /** Lines dropped because the buffer was full, or the file failed. */
  dropped = 0;
  private failed = false;

  constructor(
    path: string,
    private readonly capacity: number,
    onError: (error: Error) => void,
  ) {
    this.stream = createWriteStream(path, { flags: "a" });
    this.stream.on("error", (error) => {
      this.failed = true;
      this.dropped += this.waiting.length;
      this.waiting.length = 0;
      onError(error);
    });
  }

  append(line: string): void {
    if (this.failed || this.waiting.length >= this.capacity) {
      this.dropped += 1;
      return;
    }
    this.waiting.push(line);
    if (!this.writing) this.pump();
  }

  /** Lines go out in chunks: one write per chunk, the next once the file took it. */
  private pump(): void {
    if (this.failed || this.waiting.length === 0) {
      this.writing = false;
      return;
    }
    this.writing = true;
    const chunk = `${this.waiting.join("\n")}\n`;
    this.waiting.length = 0;
    this.stream.write(chunk, () => this.pump());
  }

  /** Waits for what is buffered, then closes the file. */
  async close(): Promise<void> {
    while (this.writing && !this.failed) await new Promise((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => this.stream.end(resolve));
  }
}
