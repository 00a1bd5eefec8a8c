-- Every transition rewrote its execution's whole row (a 10-state definition made it 1.4 kB) only to
-- move this counter, a fifth of the WAL a Task state wrote; the history's primary key gives the next
-- event id with one index probe, read under the execution's lock.
ALTER TABLE "executions" DROP COLUMN "next_event_id";