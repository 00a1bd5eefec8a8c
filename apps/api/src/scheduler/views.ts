/** Stored schedules and groups in the shapes EventBridge Scheduler answers with (timestamps in epoch seconds). */
import type { ScheduleGroupRecord, ScheduleRecord } from "@stepwise/storage";

const seconds = (date: Date | null) => (date === null ? undefined : date.getTime() / 1000);

export function scheduleView(s: ScheduleRecord) {
  return {
    ActionAfterCompletion: s.actionAfterCompletion,
    Arn: s.arn,
    CreationDate: seconds(s.createdAt),
    Description: s.description ?? undefined,
    EndDate: seconds(s.endDate),
    FlexibleTimeWindow: s.flexibleTimeWindow,
    GroupName: s.groupName,
    KmsKeyArn: s.kmsKeyArn ?? undefined,
    LastModificationDate: seconds(s.lastModifiedAt),
    Name: s.name,
    ScheduleExpression: s.expression,
    ScheduleExpressionTimezone: s.timezone ?? undefined,
    StartDate: seconds(s.startDate),
    State: s.state,
    Target: s.target,
  };
}

export function scheduleSummary(s: ScheduleRecord) {
  return {
    Arn: s.arn,
    CreationDate: seconds(s.createdAt),
    GroupName: s.groupName,
    LastModificationDate: seconds(s.lastModifiedAt),
    Name: s.name,
    State: s.state,
    Target: { Arn: s.target.Arn },
  };
}

export function groupView(g: ScheduleGroupRecord) {
  return { Arn: g.arn, CreationDate: seconds(g.createdAt), LastModificationDate: seconds(g.lastModifiedAt), Name: g.name, State: "ACTIVE" };
}
