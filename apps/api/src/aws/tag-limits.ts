import { parseRetentionPeriod, RETENTION_PERIOD_HINT, RETENTION_TAG } from "@stepwise/runtime";
import type { Tag } from "@stepwise/storage";
import { AwsError, validationError } from "./aws-error.ts";

/** AWS's limit of tags per resource. */
export const MAX_TAGS = 50;

export function requireTagCount(tags: readonly Tag[], resourceArn: string): void {
  const keys = new Set(tags.map((tag) => tag.key));
  if (keys.size > MAX_TAGS) {
    const error = new AwsError(
      "TooManyTags",
      `Too many tags: ${keys.size} tags exceed the limit of ${MAX_TAGS} for resource '${resourceArn}'`,
    );
    throw Object.assign(error, { resourceName: resourceArn });
  }
}

/** A state machine's `stepwise:retention` tag is its executions' retention period: refused unless it is one. */
export function requireRetentionTag(tags: readonly Tag[]): void {
  for (const tag of tags) {
    if (tag.key === RETENTION_TAG && parseRetentionPeriod(tag.value) === undefined) {
      throw validationError(`Invalid value for tag '${RETENTION_TAG}': '${tag.value}' (${RETENTION_PERIOD_HINT})`);
    }
  }
}
