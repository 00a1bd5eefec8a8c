-- A traced execution's OpenTelemetry trace (its execution span and that span's parent), so every process
-- that moves it carries the same trace on. Null for executions that are not traced.
ALTER TABLE "executions" ADD COLUMN "trace_context" text;
