/** TagResource, UntagResource, ListTagsForResource (state machines and activities carry tags). */
import { parseArn } from "@stepwise/runtime";
import { listTags, tagResource, untagResource } from "@stepwise/storage";
import { z } from "zod";
import { type Action, action } from "./action.ts";
import { invalidArn } from "./aws-error.ts";
import { arnField, tagSchema } from "./request-shape.ts";
import { requireRetentionTag, requireTagCount } from "./tag-limits.ts";

function requireResourceArn(arn: string): string {
  if (!parseArn(arn)) throw invalidArn(`Invalid ARN prefix: ${arn}`);
  return arn;
}

const byResourceArn = (request: { resourceArn: string }) => [{ arn: request.resourceArn }];

const tag: Action = action(z.object({ resourceArn: arnField, tags: z.array(tagSchema) }), byResourceArn, async ({ runtime }, request) => {
  const arn = requireResourceArn(request.resourceArn);
  const current = await listTags(runtime.db, arn);
  requireTagCount([...current, ...request.tags], arn);
  requireRetentionTag(request.tags);
  await tagResource(runtime.db, arn, request.tags);
  return {};
});

const untag: Action = action(
  z.object({ resourceArn: arnField, tagKeys: z.array(z.string().min(1).max(128)) }),
  byResourceArn,
  async ({ runtime }, request) => {
    await untagResource(runtime.db, requireResourceArn(request.resourceArn), request.tagKeys);
    return {};
  },
);

const listTagsForResource: Action = action(z.object({ resourceArn: arnField }), byResourceArn, async ({ runtime }, request) => {
  return { tags: await listTags(runtime.db, requireResourceArn(request.resourceArn)) };
});

export const tagActions: Record<string, Action> = {
  TagResource: tag,
  UntagResource: untag,
  ListTagsForResource: listTagsForResource,
};
