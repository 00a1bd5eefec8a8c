/**
 * State machine versions: PublishStateMachineVersion's numbered, immutable snapshots of a machine's
 * definition and settings, as StartExecution runs them when named by `<machineArn>:<number>`.
 */
import { and, count, desc, eq, lt, sql } from "drizzle-orm";
import { anyOf } from "../any-of.ts";
import type { Executor } from "../connection.ts";
import { ConflictException, ServiceQuotaExceededException, StateMachineDeleting, StateMachineDoesNotExist } from "../errors.ts";
import { decodeToken, encodeToken, type Page, type PageRequest, pageSize, toPage } from "../pagination.ts";
import { stateMachineAliases } from "../schema/state-machine-aliases.ts";
import { stateMachineVersions } from "../schema/state-machine-versions.ts";
import { stateMachines } from "../schema/state-machines.ts";

export type StateMachineVersionRecord = typeof stateMachineVersions.$inferSelect;
export type StateMachineVersionSummary = Pick<StateMachineVersionRecord, "arn" | "version" | "createdAt">;

/** AWS's limit of versions per state machine. */
export const MAX_VERSIONS_PER_MACHINE = 1000;

export interface PublishRequest {
  /** Publish only if this is still the machine's current revision. */
  revisionId?: string;
  description?: string | null;
  now?: Date;
  maxVersions?: number;
}

/**
 * PublishStateMachineVersion: a new version of the machine's current revision, or, when its latest version
 * already is of that revision, that version (`created: false`), as AWS answers a repeated publish. The
 * machine's row is locked throughout, so concurrent publishes number their versions one after the other.
 */
export async function publishStateMachineVersion(
  db: Executor,
  machineArn: string,
  request: PublishRequest = {},
): Promise<{ version: StateMachineVersionRecord; created: boolean }> {
  const { now = new Date(), maxVersions = MAX_VERSIONS_PER_MACHINE } = request;
  return db.transaction(async (tx) => {
    const [machine] = await tx.select().from(stateMachines).where(eq(stateMachines.arn, machineArn)).for("update");
    if (!machine) throw new StateMachineDoesNotExist(machineArn);
    if (machine.status === "DELETING") throw new StateMachineDeleting(machineArn);
    if (request.revisionId !== undefined && request.revisionId !== machine.revisionId) {
      throw new ConflictException(
        `Failed to publish the State Machine version for revision ${request.revisionId}. The current State Machine revision is ${machine.revisionId}.`,
      );
    }
    const [latest] = await tx
      .select()
      .from(stateMachineVersions)
      .where(eq(stateMachineVersions.stateMachineArn, machineArn))
      .orderBy(desc(stateMachineVersions.version))
      .limit(1);
    if (latest?.revisionId === machine.revisionId) return { version: latest, created: false };
    const [held] = await tx.select({ n: count() }).from(stateMachineVersions).where(eq(stateMachineVersions.stateMachineArn, machineArn));
    if ((held?.n ?? 0) >= maxVersions) {
      throw new ServiceQuotaExceededException(
        `Your request would exceed the limit of ${maxVersions} versions for state machine '${machineArn}'. Delete versions you no longer use.`,
      );
    }
    const number = machine.lastVersion + 1;
    await tx.update(stateMachines).set({ lastVersion: number }).where(eq(stateMachines.arn, machineArn));
    const [version] = await tx
      .insert(stateMachineVersions)
      .values({
        arn: `${machineArn}:${number}`,
        stateMachineArn: machineArn,
        version: number,
        definition: machine.definition,
        roleArn: machine.roleArn,
        description: request.description ?? null,
        revisionId: machine.revisionId,
        loggingConfiguration: machine.loggingConfiguration,
        tracingConfiguration: machine.tracingConfiguration,
        createdAt: now,
      })
      .returning();
    return { version: version as StateMachineVersionRecord, created: true };
  });
}

/** Versions by ARN, in one statement (StartExecution requests served together); missing ones are absent. */
export async function findStateMachineVersions(db: Executor, arns: readonly string[]): Promise<Map<string, StateMachineVersionRecord>> {
  if (arns.length === 0) return new Map();
  const rows = await db.select().from(stateMachineVersions).where(anyOf(stateMachineVersions.arn, arns));
  return new Map(rows.map((row) => [row.arn, row]));
}

export async function getStateMachineVersion(db: Executor, arn: string): Promise<StateMachineVersionRecord> {
  const version = (await findStateMachineVersions(db, [arn])).get(arn);
  if (!version) throw new StateMachineDoesNotExist(arn);
  return version;
}

/** ListStateMachineVersions: newest first, as AWS lists them. */
export async function listStateMachineVersions(
  db: Executor,
  machineArn: string,
  request: PageRequest = {},
): Promise<Page<StateMachineVersionSummary>> {
  const size = pageSize(request);
  const scope = `versions ${machineArn}`;
  const after = request.nextToken === undefined ? undefined : decodeToken(scope, request.nextToken, ["position"])[0];
  const rows = await db
    .select({ arn: stateMachineVersions.arn, version: stateMachineVersions.version, createdAt: stateMachineVersions.createdAt })
    .from(stateMachineVersions)
    .where(
      and(eq(stateMachineVersions.stateMachineArn, machineArn), after === undefined ? undefined : lt(stateMachineVersions.version, after)),
    )
    .orderBy(desc(stateMachineVersions.version))
    .limit(size + 1);
  return toPage(rows, size, (last) => encodeToken(scope, [last.version]));
}

/**
 * DeleteStateMachineVersion; a ConflictException while an alias routes to the version. The version's row
 * is locked before the aliases are read, so an alias being created to it (which locks it to share) is
 * either seen here or finds the version gone. Returns whether the version existed.
 */
export async function deleteStateMachineVersion(db: Executor, arn: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [version] = await tx
      .select({ arn: stateMachineVersions.arn })
      .from(stateMachineVersions)
      .where(eq(stateMachineVersions.arn, arn))
      .for("update");
    if (!version) return false;
    const routing = await tx.select({ arn: stateMachineAliases.arn }).from(stateMachineAliases).where(routesTo(arn));
    if (routing.length > 0) {
      const aliases = routing.map((alias) => alias.arn).join(", ");
      throw new ConflictException(
        `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${aliases}]`,
      );
    }
    await tx.delete(stateMachineVersions).where(eq(stateMachineVersions.arn, arn));
    return true;
  });
}

/** Aliases whose routing names the version. */
export function routesTo(versionArn: string) {
  return sql`${stateMachineAliases.routingConfiguration} @> ${JSON.stringify([{ stateMachineVersionArn: versionArn }])}::jsonb`;
}
