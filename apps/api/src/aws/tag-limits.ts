import type { Tag } from "@stepwise/storage";
import { AwsError } from "./aws-error.ts";

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
