/**
 * The state machines and inputs the ASL suite runs on both engines. They stick to JSONPath features both
 * engines implement (Parameters with `.$` paths, ResultPath, OutputPath, Choice rules, inline Map with
 * ItemSelector and `$$.Map.Item`), so the same definition and input mean the same thing to each.
 */
import type { Json, JsonObject, StateMachineDefinition } from "../../packages/asl/src/index.ts";

/**
 * Nine Pass states reshape the input through Parameters and ResultPath, a Choice routes on what they
 * built, and one of two final Pass states ends: ten Pass states and one Choice per execution.
 */
export const passChain: StateMachineDefinition = {
  Comment: "bench: 10 Pass states with Parameters and ResultPath, and a Choice",
  StartAt: "Customer",
  States: {
    Customer: {
      Type: "Pass",
      Parameters: { "id.$": "$.order.customer.id", "name.$": "$.order.customer.name", "tier.$": "$.order.customer.tier", source: "bench" },
      ResultPath: "$.customer",
      Next: "Lines",
    },
    Lines: {
      Type: "Pass",
      Parameters: { "items.$": "$.order.items", "count.$": "$.order.itemCount", currency: "EUR" },
      ResultPath: "$.lines",
      Next: "Address",
    },
    Address: {
      Type: "Pass",
      InputPath: "$.order.shipping",
      Parameters: { "street.$": "$.street", "city.$": "$.city", "zip.$": "$.zip", country: { "code.$": "$.country" } },
      ResultPath: "$.address",
      Next: "Totals",
    },
    Totals: {
      Type: "Pass",
      Parameters: { "net.$": "$.order.total", "discount.$": "$.order.discount", "tier.$": "$.customer.tier" },
      ResultPath: "$.totals",
      Next: "Flags",
    },
    Flags: {
      Type: "Pass",
      Parameters: { "express.$": "$.order.express", "gift.$": "$.order.gift", "firstItem.$": "$.order.items[0].sku" },
      ResultPath: "$.flags",
      Next: "Audit",
    },
    Audit: {
      Type: "Pass",
      Parameters: { "orderId.$": "$.order.id", "customerId.$": "$.customer.id", "city.$": "$.address.city", stage: "audited" },
      ResultPath: "$.audit",
      Next: "Shipping",
    },
    Shipping: {
      Type: "Pass",
      Parameters: { "to.$": "$.address", "express.$": "$.flags.express", "weight.$": "$.order.weight" },
      ResultPath: "$.shipment",
      Next: "Summary",
    },
    Summary: {
      Type: "Pass",
      Parameters: {
        "order.$": "$.order.id",
        "customer.$": "$.customer.name",
        "total.$": "$.totals.net",
        "items.$": "$.lines.count",
        "express.$": "$.shipment.express",
      },
      ResultPath: "$.summary",
      Next: "Trim",
    },
    Trim: {
      Type: "Pass",
      Parameters: {
        "summary.$": "$.summary",
        "audit.$": "$.audit",
        "tier.$": "$.totals.tier",
        "total.$": "$.totals.net",
        "express.$": "$.flags.express",
      },
      Next: "Route",
    },
    Route: {
      Type: "Choice",
      Choices: [
        {
          And: [
            { Variable: "$.total", NumericGreaterThanEquals: 100 },
            {
              Or: [
                { Variable: "$.tier", StringEquals: "gold" },
                { Variable: "$.express", BooleanEquals: true },
              ],
            },
          ],
          Next: "Priority",
        },
      ],
      Default: "Standard",
    },
    Priority: {
      Type: "Pass",
      Parameters: { lane: "priority", "summary.$": "$.summary" },
      ResultPath: "$.result",
      OutputPath: "$.result",
      End: true,
    },
    Standard: {
      Type: "Pass",
      Parameters: { lane: "standard", "summary.$": "$.summary" },
      ResultPath: "$.result",
      OutputPath: "$.result",
      End: true,
    },
  },
};

const TIERS = ["gold", "silver", "bronze"] as const;

/** Distinct orders, so the Choice takes both branches and no engine can win by caching one answer. */
export function passChainInputs(count: number): Json[] {
  return Array.from({ length: count }, (_, i) => {
    const itemCount = 1 + (i % 4);
    const order: JsonObject = {
      id: `order-${i}`,
      customer: { id: `c-${i % 97}`, name: `Customer ${i % 97}`, tier: TIERS[i % 3]! },
      items: Array.from({ length: itemCount }, (_, k) => ({ sku: `sku-${i}-${k}`, qty: 1 + k, price: 9.5 + k })),
      itemCount,
      shipping: { street: `${i} Main St`, city: i % 2 ? "Lyon" : "Paris", zip: `690${i % 10}0`, country: "FR" },
      total: 40 + ((i * 37) % 160),
      discount: i % 5 === 0 ? 10 : 0,
      express: i % 4 === 0,
      gift: i % 7 === 0,
      weight: 0.5 + (i % 9),
    };
    return { order };
  });
}

/**
 * An inline Map over every item: the ItemSelector adds the index, a Pass reshapes the item, a Choice
 * sorts it into one of two Succeed states that output differently.
 */
export const itemMap: StateMachineDefinition = {
  Comment: "bench: inline Map, item processor is a Pass with Parameters and a Choice",
  StartAt: "Each",
  States: {
    Each: {
      Type: "Map",
      ItemsPath: "$.items",
      ItemSelector: { "index.$": "$$.Map.Item.Index", "item.$": "$$.Map.Item.Value", "threshold.$": "$.threshold" },
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: "Shape",
        States: {
          Shape: {
            Type: "Pass",
            Parameters: {
              "index.$": "$.index",
              "sku.$": "$.item.sku",
              "amount.$": "$.item.amount",
              "threshold.$": "$.threshold",
              "tags.$": "$.item.tags",
            },
            Next: "Sort",
          },
          Sort: {
            Type: "Choice",
            Choices: [
              {
                And: [
                  { Variable: "$.amount", NumericGreaterThanPath: "$.threshold" },
                  { Variable: "$.tags[0]", StringEquals: "hot" },
                ],
                Next: "Keep",
              },
            ],
            Default: "Skip",
          },
          Keep: { Type: "Succeed" },
          Skip: { Type: "Succeed", OutputPath: "$.sku" },
        },
      },
      ResultPath: "$.processed",
      Next: "Done",
    },
    Done: { Type: "Pass", Parameters: { "processed.$": "$.processed", "batch.$": "$.batch" }, End: true },
  },
};

export function itemMapInput(items: number, batch: number): Json {
  return {
    batch,
    threshold: 50,
    items: Array.from({ length: items }, (_, i) => ({
      sku: `sku-${batch}-${i}`,
      amount: (i * 31 + batch * 7) % 100,
      tags: i % 3 === 0 ? ["hot", "new"] : ["cold"],
    })),
  };
}
