-- The scope of the credential that started each execution (STEPWISE_KEY_SCOPES), so what the execution
-- starts while it runs is checked against it. Null: unrestricted (also every execution started before).
ALTER TABLE "executions" ADD COLUMN "scope" jsonb;
