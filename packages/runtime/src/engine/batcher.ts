/**
 * Requests that arrive while earlier ones are being served go together: `run` gets every request waiting
 * when a slot frees (up to `maxBatch`), and answers each. A lone request goes at once, so batching
 * adds no wait; under load, a statement and a round trip serve many requests instead of one each, and
 * on a small machine the round trips (a socket write and a wake-up of two processes) are most of the cost.
 * A batch that fails as a whole is served again request by request, so each sees its own error.
 */
export interface BatcherOptions {
  maxBatch: number;
  /** Batches served at once. */
  maxInFlight: number;
}

interface Waiting<Request, Result> {
  request: Request;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

export class Batcher<Request, Result> {
  private waiting: Waiting<Request, Result>[] = [];
  private inFlight = 0;

  /** `run` answers each request of a batch, in order, with its result or its own error. */
  constructor(
    private readonly run: (requests: Request[]) => Promise<Array<Result | Error>>,
    private readonly options: BatcherOptions,
  ) {}

  submit(request: Request): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.inFlight += 1;
      void this.serve(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async serve(batch: Waiting<Request, Result>[]): Promise<void> {
    try {
      const results = await this.run(batch.map((w) => w.request));
      for (const [i, waiting] of batch.entries()) {
        const result = results[i];
        if (result instanceof Error) waiting.reject(result);
        else waiting.resolve(result as Result);
      }
    } catch (error) {
      // One request's failure must not become the others': alone, each gets its own outcome.
      if (batch.length === 1) (batch[0] as Waiting<Request, Result>).reject(error);
      else await Promise.all(batch.map((waiting) => this.serve([waiting])));
    }
  }
}
