import type { ItemProcessor, StateMachineDefinition } from "@stepwise/asl";

/**
 * An inline Map over `items` numbers (0, 1, …) it generates itself, all started at once (MaxConcurrency
 * 0): an input that large would pass the payload limit. Past 65,535 items, a statement binding one
 * parameter per item is refused by Postgres.
 */
export function generatedItemsMap(items: number, itemProcessor: ItemProcessor): StateMachineDefinition {
  return {
    QueryLanguage: "JSONata",
    StartAt: "Each",
    States: {
      Each: { Type: "Map", Items: `{% [0..${items - 1}] %}`, MaxConcurrency: 0, ItemProcessor: itemProcessor, End: true },
    },
  } as StateMachineDefinition;
}
