export { DueTimes, type ScheduleTiming } from "./expressions/due-times.ts";
export { parseScheduleExpression, type ScheduleExpression } from "./expressions/expression.ts";
export { checkZone } from "./expressions/zone.ts";
export { ValidationException } from "./validation.ts";
