/**
 * Before a handler runs, its attempt must still be open (not answered, timed out or cancelled: a
 * redelivered job, a stopped execution). Jobs arrive one by one, so each would cost a statement and a
 * round trip of its own; instead one statement reads every check asked for while the previous one was
 * on its way.
 */
import { type Database, taskTokenStatuses } from "@stepwise/storage";

export class OpenTaskCheck {
  private waiting = new Map<string, { resolve(open: boolean): void; reject(error: unknown): void }[]>();
  private reading = false;

  constructor(private readonly db: Database) {}

  /** PENDING only: a STARTED attempt (an activity's) is not a task worker's to run. A token never issued is not open. */
  isOpen(token: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(token) ?? [];
      list.push({ resolve, reject });
      this.waiting.set(token, list);
      if (!this.reading) void this.read();
    });
  }

  private async read(): Promise<void> {
    this.reading = true;
    while (this.waiting.size > 0) {
      const batch = this.waiting;
      this.waiting = new Map();
      try {
        const statuses = await taskTokenStatuses(this.db, [...batch.keys()]);
        for (const [token, list] of batch) for (const w of list) w.resolve(statuses.get(token) === "PENDING");
      } catch (error) {
        for (const list of batch.values()) for (const w of list) w.reject(error);
      }
    }
    this.reading = false;
  }
}
