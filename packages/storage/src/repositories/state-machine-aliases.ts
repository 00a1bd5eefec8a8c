/**
 * State machine aliases: names (`<machineArn>:<aliasName>`) that route StartExecution to one or two of a
 * machine's versions by weight. Which version a start gets is the runtime's choice, not the store's.
 */
import { jsonEquals } from "@stepwise/asl";
import { and, count, desc, eq, sql } from "drizzle-orm";
import { anyOf } from "../any-of.ts";
import type { Executor } from "../connection.ts";
import { ConflictException, ResourceNotFound, ServiceQuotaExceededException, StateMachineDeleting } from "../errors.ts";
import { decodeToken, encodeToken, type Page, type PageRequest, pageSize, toPage } from "../pagination.ts";
import { type RoutingEntry, stateMachineAliases } from "../schema/state-machine-aliases.ts";
import { stateMachineVersions } from "../schema/state-machine-versions.ts";
import { stateMachines } from "../schema/state-machines.ts";
import { routesTo } from "./state-machine-versions.ts";

export type StateMachineAliasRecord = typeof stateMachineAliases.$inferSelect;
export type StateMachineAliasSummary = Pick<StateMachineAliasRecord, "arn" | "createdAt">;

/** AWS's limit of aliases per state machine. */
export const MAX_ALIASES_PER_MACHINE = 100;

export interface NewStateMachineAlias {
  arn: string;
  stateMachineArn: string;
  name: string;
  description?: string | null;
  /** Versions of `stateMachineArn`, checked by the caller; this checks they exist. */
  routingConfiguration: RoutingEntry[];
  now?: Date;
  maxAliases?: number;
}

export interface StateMachineAliasUpdate {
  description?: string | null;
  routingConfiguration?: RoutingEntry[];
  now?: Date;
}

/**
 * CreateStateMachineAlias. Idempotent as in AWS: the same description and routing as an existing alias of
 * that name return it (`created: false`); anything else under the name is a ConflictException. The
 * machine's row is locked so that concurrent creations count its aliases one after the other.
 */
export async function createStateMachineAlias(
  db: Executor,
  input: NewStateMachineAlias,
): Promise<{ alias: StateMachineAliasRecord; created: boolean }> {
  const { now = new Date(), maxAliases = MAX_ALIASES_PER_MACHINE } = input;
  return db.transaction(async (tx) => {
    const [machine] = await tx
      .select({ status: stateMachines.status })
      .from(stateMachines)
      .where(eq(stateMachines.arn, input.stateMachineArn))
      .for("update");
    if (!machine) throw new ResourceNotFound(input.stateMachineArn);
    if (machine.status === "DELETING") throw new StateMachineDeleting(input.stateMachineArn);
    await lockRoutedVersions(tx, input.routingConfiguration);
    const description = input.description ?? null;
    const [existing] = await tx.select().from(stateMachineAliases).where(eq(stateMachineAliases.arn, input.arn));
    if (existing) {
      if (existing.description === description && jsonEquals(existing.routingConfiguration, input.routingConfiguration)) {
        return { alias: existing, created: false };
      }
      throw new ConflictException(`Alias already exists with a different configuration: '${input.arn}'`);
    }
    const [held] = await tx
      .select({ n: count() })
      .from(stateMachineAliases)
      .where(eq(stateMachineAliases.stateMachineArn, input.stateMachineArn));
    if ((held?.n ?? 0) >= maxAliases) {
      throw new ServiceQuotaExceededException(
        `Your request would exceed the limit of ${maxAliases} aliases for state machine '${input.stateMachineArn}'. Delete aliases you no longer use.`,
      );
    }
    const [alias] = await tx
      .insert(stateMachineAliases)
      .values({
        arn: input.arn,
        stateMachineArn: input.stateMachineArn,
        name: input.name,
        description,
        routingConfiguration: input.routingConfiguration,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return { alias: alias as StateMachineAliasRecord, created: true };
  });
}

/**
 * The versions an alias is to route to, locked to share until the caller's transaction ends, so none is
 * deleted meanwhile (DeleteStateMachineVersion locks the version first, then looks for aliases to it).
 */
async function lockRoutedVersions(tx: Executor, routing: readonly RoutingEntry[]): Promise<void> {
  const arns = routing.map((entry) => entry.stateMachineVersionArn);
  const found = await tx
    .select({ arn: stateMachineVersions.arn })
    .from(stateMachineVersions)
    .where(anyOf(stateMachineVersions.arn, arns))
    .for("share");
  const missing = arns.find((arn) => !found.some((row) => row.arn === arn));
  if (missing !== undefined) throw new ResourceNotFound(missing);
}

/** Aliases by ARN, in one statement (StartExecution requests served together); missing ones are absent. */
export async function findStateMachineAliases(db: Executor, arns: readonly string[]): Promise<Map<string, StateMachineAliasRecord>> {
  if (arns.length === 0) return new Map();
  const rows = await db.select().from(stateMachineAliases).where(anyOf(stateMachineAliases.arn, arns));
  return new Map(rows.map((row) => [row.arn, row]));
}

export async function getStateMachineAlias(db: Executor, arn: string): Promise<StateMachineAliasRecord> {
  const alias = (await findStateMachineAliases(db, [arn])).get(arn);
  if (!alias) throw new ResourceNotFound(arn);
  return alias;
}

/** UpdateStateMachineAlias: a new description, routing, or both. */
export async function updateStateMachineAlias(
  db: Executor,
  arn: string,
  update: StateMachineAliasUpdate,
): Promise<StateMachineAliasRecord> {
  const { now = new Date(), ...changes } = update;
  return db.transaction(async (tx) => {
    if (changes.routingConfiguration !== undefined) await lockRoutedVersions(tx, changes.routingConfiguration);
    const [alias] = await tx
      .update(stateMachineAliases)
      .set({ ...changes, updatedAt: now })
      .where(eq(stateMachineAliases.arn, arn))
      .returning();
    if (!alias) throw new ResourceNotFound(arn);
    return alias;
  });
}

export async function deleteStateMachineAlias(db: Executor, arn: string): Promise<void> {
  const rows = await db.delete(stateMachineAliases).where(eq(stateMachineAliases.arn, arn)).returning({ arn: stateMachineAliases.arn });
  if (rows.length === 0) throw new ResourceNotFound(arn);
}

export interface AliasListRequest extends PageRequest {
  stateMachineArn: string;
  /** Only the aliases that route to this version. */
  versionArn?: string;
}

/** ListStateMachineAliases: newest first, as AWS lists them, with keyset pages on (created_at, arn). */
export async function listStateMachineAliases(db: Executor, request: AliasListRequest): Promise<Page<StateMachineAliasSummary>> {
  const size = pageSize(request);
  const scope = `aliases ${request.stateMachineArn} ${request.versionArn ?? ""}`;
  const cursor = request.nextToken === undefined ? undefined : decodeToken(scope, request.nextToken, ["timestamp", "text"]);
  const rows = await db
    .select({ arn: stateMachineAliases.arn, createdAt: stateMachineAliases.createdAt })
    .from(stateMachineAliases)
    .where(
      and(
        eq(stateMachineAliases.stateMachineArn, request.stateMachineArn),
        request.versionArn === undefined ? undefined : routesTo(request.versionArn),
        cursor === undefined
          ? undefined
          : sql`(${stateMachineAliases.createdAt}, ${stateMachineAliases.arn}) < (${cursor[0]}::timestamptz, ${cursor[1]})`,
      ),
    )
    .orderBy(desc(stateMachineAliases.createdAt), desc(stateMachineAliases.arn))
    .limit(size + 1);
  return toPage(rows, size, (last) => encodeToken(scope, [last.createdAt.toISOString(), last.arn]));
}
