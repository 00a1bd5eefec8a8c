/**
 * EventBridge's event pattern language, case by case: each example of AWS's event pattern documentation
 * (the user guide's pages on patterns, arrays, null values, content filtering and comparison operators,
 * and Event Ruler's README, the library EventBridge matches with), with events it matches and events it
 * does not, and the patterns AWS refuses.
 */
import { describe, expect, it } from "vitest";
import { compilePattern } from "./compile-pattern.ts";
import { matchesPattern } from "./match-pattern.ts";

const ec2Event = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  detail: { "instance-id": "i-1234567890abcdef0", state: "terminated" },
};

const autoscalingEvent = {
  version: "0",
  id: "3e3c153a-8339-4e30-8c35-687ebef853fe",
  "detail-type": "EC2 Instance Launch Successful",
  source: "aws.autoscaling",
  account: "123456789012",
  time: "2015-11-11T21:31:47Z",
  region: "us-east-1",
  resources: [],
  detail: { eventVersion: "", responseElements: null },
};

const macieEvent = {
  version: "0",
  id: "3e355723-fca9-4de3-9fd7-154c289d6b59",
  "detail-type": "Macie Alert",
  source: "aws.macie",
  account: "123456789012",
  time: "2017-04-24T22:28:49Z",
  region: "us-east-1",
  resources: [
    "arn:aws:macie:us-east-1:123456789012:trigger/trigger_id/alert/alert_id",
    "arn:aws:macie:us-east-1:123456789012:trigger/trigger_id",
  ],
  detail: {
    "notification-type": "ALERT_CREATED",
    name: "Scanning bucket policies",
    tags: ["Custom_Alert", "Insider"],
    "risk-score": 80,
    trigger: { "rule-arn": "arn:aws:macie:us-east-1:123456789012:trigger/trigger_id", "alert-type": "basic", risk: 8 },
  },
};

/** Event Ruler's README example event. */
const rulerEvent = {
  version: "0",
  id: "ddddd4-aaaa-7777-4444-345dd43cc333",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "012345679012",
  time: "2017-10-02T16:24:49Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
  detail: {
    "c-count": 5,
    "d-count": 3,
    "x-limit": 301.8,
    "source-ip": "10.0.0.33",
    "instance-id": "i-000000aaaaaa00000",
    state: "running",
  },
};

const withDetail = (detail: Record<string, unknown>, top: Record<string, unknown> = {}) => ({ ...rulerEvent, ...top, detail });

interface Case {
  name: string;
  pattern: unknown;
  matches: unknown[];
  fails: unknown[];
}

const CASES: Case[] = [
  {
    name: "event patterns: EC2 instance termination",
    pattern: { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], detail: { state: ["terminated"] } },
    matches: [ec2Event],
    fails: [
      { ...ec2Event, detail: { state: "running" } },
      { ...ec2Event, source: "aws.fargate" },
      { ...ec2Event, detail: undefined },
    ],
  },
  {
    name: "matching values: one of several sources",
    pattern: { source: ["aws.ec2", "aws.fargate"] },
    matches: [ec2Event, { ...ec2Event, source: "aws.fargate" }],
    fails: [macieEvent],
  },
  {
    name: "field matching: a null value",
    pattern: { source: ["aws.autoscaling"], "detail-type": ["EC2 Instance Launch Successful"], detail: { responseElements: [null] } },
    matches: [autoscalingEvent],
    fails: [
      { ...autoscalingEvent, detail: { responseElements: "" } },
      { ...autoscalingEvent, detail: {} },
    ],
  },
  {
    name: "null values and empty strings: an empty string is not null",
    pattern: { detail: { eventVersion: [""] } },
    matches: [autoscalingEvent],
    fails: [{ ...autoscalingEvent, detail: { eventVersion: null } }],
  },
  {
    name: "value matching: numbers, nested",
    pattern: { source: ["aws.macie"], "detail-type": ["Macie Alert"], detail: { "risk-score": [80], trigger: { risk: [8] } } },
    matches: [macieEvent],
    fails: [
      { ...macieEvent, detail: { ...macieEvent.detail, "risk-score": 79 } },
      { ...macieEvent, detail: { ...macieEvent.detail, "risk-score": "80" } },
    ],
  },
  {
    name: "arrays: the event's array and the pattern's intersect",
    pattern: {
      resources: [
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f",
      ],
    },
    matches: [
      {
        resources: [
          "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate",
          "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        ],
      },
    ],
    fails: [{ resources: ["arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f"] }, { resources: [] }],
  },
  {
    name: "arrays of objects: the array is crushed out, and two fields must be in the same element",
    pattern: { employees: { firstName: ["Anna"], lastName: ["Smith"] } },
    matches: [
      {
        employees: [
          { firstName: "John", lastName: "Doe" },
          { firstName: "Anna", lastName: "Smith" },
        ],
      },
      { employees: [[{ firstName: "John", lastName: "Doe" }], [{ firstName: "Anna", lastName: "Smith" }]] },
    ],
    fails: [
      {
        employees: [
          { firstName: "Anna", lastName: "Doe" },
          { firstName: "Peter", lastName: "Smith" },
        ],
      },
    ],
  },
  {
    name: "prefix",
    pattern: { time: [{ prefix: "2017-10-02" }] },
    matches: [rulerEvent],
    fails: [ec2Event, { time: 20171002 }],
  },
  {
    name: "prefix, ignoring case",
    pattern: { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } },
    matches: [withDetail({ service: "EventBridge" }), withDetail({ service: "EVENTBRIDGE" }), withDetail({ service: "eventbus" })],
    fails: [withDetail({ service: "Events" })],
  },
  {
    name: "suffix",
    pattern: { FileName: [{ suffix: ".png" }] },
    matches: [{ FileName: "image.png" }],
    fails: [{ FileName: "image.PNG" }, { FileName: "image.png.txt" }],
  },
  {
    name: "suffix, ignoring case",
    pattern: { detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } },
    matches: [withDetail({ FileName: "image.png" }), withDetail({ FileName: "image.PNG" })],
    fails: [withDetail({ FileName: "image.jpg" })],
  },
  {
    name: "suffix on the source",
    pattern: { source: [{ suffix: "ec2" }] },
    matches: [rulerEvent],
    fails: [macieEvent],
  },
  {
    name: "equals-ignore-case",
    pattern: { Name: [{ "equals-ignore-case": "alice" }] },
    matches: [{ Name: "Alice" }, { Name: "ALICE" }, { Name: "alice" }],
    fails: [{ Name: "Alicia" }],
  },
  {
    name: "equals",
    pattern: { Name: ["Alice"] },
    matches: [{ Name: "Alice" }],
    fails: [{ Name: "alice" }],
  },
  {
    name: "empty",
    pattern: { LastName: [""] },
    matches: [{ LastName: "" }],
    fails: [{ LastName: null }, {}],
  },
  {
    name: "wildcard",
    pattern: { source: [{ wildcard: "Simple*Service" }] },
    matches: [{ source: "SimpleService" }, { source: "SimpleQueueService" }],
    fails: [{ source: "SimpleQueueServices" }, { source: "Simple Queue" }],
  },
  {
    name: "wildcard in a path, and an escaped asterisk",
    pattern: { EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:*:event-bus/*" }], Key: [{ wildcard: "a\\*b" }] },
    matches: [{ EventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/default", Key: "a*b" }],
    fails: [
      { EventBusArn: "arn:aws:events:us-west-2:123456789012:event-bus/default", Key: "a*b" },
      { EventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/default", Key: "axb" },
    ],
  },
  {
    name: "anything-but a string",
    pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
    matches: [rulerEvent, withDetail({ state: ["initializing", "running"] })],
    fails: [withDetail({ state: "initializing" }), withDetail({})],
  },
  {
    name: "anything-but a number",
    pattern: { detail: { "x-limit": [{ "anything-but": 123 }] } },
    matches: [rulerEvent],
    fails: [withDetail({ "x-limit": 123 })],
  },
  {
    name: "anything-but a list of strings",
    pattern: { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } },
    matches: [rulerEvent],
    fails: [withDetail({ state: "stopped" }), withDetail({ state: "overloaded" })],
  },
  {
    name: "anything-but a list of numbers",
    pattern: { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } },
    matches: [rulerEvent],
    fails: [withDetail({ "x-limit": 200 })],
  },
  {
    name: "anything-but a prefix",
    pattern: { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
    matches: [rulerEvent],
    fails: [withDetail({ state: "initializing" })],
  },
  {
    name: "anything-but a suffix",
    pattern: { FileName: [{ "anything-but": { suffix: ".png" } }] },
    matches: [{ FileName: "image.jpg" }],
    fails: [{ FileName: "image.png" }],
  },
  {
    name: "anything-but, ignoring case",
    pattern: { state: [{ "anything-but": { "equals-ignore-case": ["initializing", "stopped"] } }] },
    matches: [{ state: "running" }],
    fails: [{ state: "INITIALIZING" }, { state: "Stopped" }],
  },
  {
    name: "anything-but a wildcard",
    pattern: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] },
    matches: [{ FilePath: "/usr/bin/env" }],
    fails: [{ FilePath: "/usr/lib/libc.so" }],
  },
  {
    name: "numeric",
    pattern: {
      detail: {
        "c-count": [{ numeric: [">", 0, "<=", 5] }],
        "d-count": [{ numeric: ["<", 10] }],
        "x-limit": [{ numeric: ["=", 3.018e2] }],
      },
    },
    matches: [rulerEvent],
    fails: [
      withDetail({ ...rulerEvent.detail, "c-count": 0 }),
      withDetail({ ...rulerEvent.detail, "c-count": 6 }),
      withDetail({ ...rulerEvent.detail, "d-count": 10 }),
      withDetail({ ...rulerEvent.detail, "x-limit": 301.9 }),
      withDetail({ ...rulerEvent.detail, "c-count": "5" }),
    ],
  },
  {
    name: "IP address, IPv4",
    pattern: { detail: { "source-ip": [{ cidr: "10.0.0.0/24" }] } },
    matches: [rulerEvent, withDetail({ "source-ip": "10.0.0.255" })],
    fails: [withDetail({ "source-ip": "10.0.1.0" }), withDetail({ "source-ip": "not an address" })],
  },
  {
    name: "IP address, IPv6",
    pattern: { sourceIPAddress: [{ cidr: "2001:db8::/32" }] },
    matches: [{ sourceIPAddress: "2001:db8:1::ab9:c0a8:102" }, { sourceIPAddress: "2001:0db8:ffff:ffff:ffff:ffff:ffff:ffff" }],
    fails: [{ sourceIPAddress: "2001:db9::1" }, { sourceIPAddress: "10.0.0.1" }],
  },
  {
    name: "exists: false",
    pattern: { detail: { "c-count": [{ exists: false }] } },
    matches: [
      { "detail-type": "EC2 Instance State-change Notification", detail: { state: ["initializing", "running"] } },
      // c-count is not a leaf there.
      { "detail-type": "EC2 Instance State-change Notification", detail: { state: ["initializing", "running"], "c-count": { c1: 100 } } },
    ],
    fails: [rulerEvent],
  },
  {
    name: "exists: true",
    pattern: { detail: { "c-count": [{ exists: true }] } },
    matches: [rulerEvent, withDetail({ "c-count": null })],
    fails: [withDetail({ state: "running" }), withDetail({ "c-count": { c1: 100 } }), withDetail({ "c-count": [] })],
  },
  {
    name: "complex example with multiple matching",
    pattern: {
      time: [{ prefix: "2017-10-02" }],
      detail: {
        state: [{ "anything-but": "initializing" }],
        "c-count": [{ numeric: [">", 0, "<=", 5] }],
        "d-count": [{ numeric: ["<", 10] }],
        "x-limit": [{ "anything-but": [100, 200, 300] }],
        "source-ip": [{ cidr: "10.0.0.0/8" }],
      },
    },
    matches: [rulerEvent],
    fails: [withDetail({ ...rulerEvent.detail, "x-limit": 300 }), { ...rulerEvent, time: "2017-10-03T00:00:00Z" }],
  },
  {
    name: "$or: source and (metricName or namespace)",
    pattern: { source: ["aws.cloudwatch"], $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }] },
    matches: [
      { source: "aws.cloudwatch", metricName: "ReadLatency" },
      { source: "aws.cloudwatch", namespace: "AWS/ES" },
    ],
    fails: [
      { source: "aws.cloudwatch", metricName: "WriteLatency" },
      { source: "aws.ec2", metricName: "ReadLatency" },
    ],
  },
  {
    name: "$or in parallel, at two levels",
    pattern: {
      $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
      detail: { $or: [{ source: ["aws.cloudwatch"] }, { "detail-type": ["CloudWatch Alarm State Change"] }] },
    },
    matches: [{ namespace: "AWS/EC2", detail: { "detail-type": "CloudWatch Alarm State Change" } }],
    fails: [{ namespace: "AWS/EC2", detail: { source: "aws.ec2" } }, { detail: { source: "aws.cloudwatch" } }],
  },
  {
    name: "$or with an and inside, nested",
    pattern: {
      source: ["aws.cloudwatch"],
      $or: [
        { metricName: ["CPUUtilization", "ReadLatency"] },
        { metricType: ["MetricType"], namespace: ["AWS/EC2", "AWS/ES"], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
        { scope: ["Service"] },
      ],
    },
    matches: [
      { source: "aws.cloudwatch", scope: "Service" },
      { source: "aws.cloudwatch", metricType: "MetricType", namespace: "AWS/EC2", spaceId: 1000 },
    ],
    fails: [
      { source: "aws.cloudwatch", metricType: "MetricType", namespace: "AWS/EC2", spaceId: 1001 },
      { source: "aws.cloudwatch", namespace: "AWS/EC2" },
    ],
  },
  {
    name: "$or not followed by two objects is a field name",
    pattern: { source: ["aws.cloudwatch"], $or: { metricType: ["MetricType"] } },
    matches: [{ source: "aws.cloudwatch", $or: { metricType: "MetricType" } }],
    fails: [{ source: "aws.cloudwatch", metricType: "MetricType" }],
  },
  {
    name: "true and false match only themselves",
    pattern: { detail: { enabled: [true] } },
    matches: [withDetail({ enabled: true })],
    fails: [withDetail({ enabled: "true" }), withDetail({ enabled: 1 }), withDetail({ enabled: false })],
  },
];

describe("event patterns, as AWS documents them", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const pattern = compilePattern(JSON.stringify(c.pattern));
      for (const event of c.matches) expect({ event, matched: matchesPattern(pattern, event) }).toEqual({ event, matched: true });
      for (const event of c.fails) expect({ event, matched: matchesPattern(pattern, event) }).toEqual({ event, matched: false });
    });
  }
});

describe("patterns AWS refuses", () => {
  const REFUSED: Array<[string, string, RegExp]> = [
    ["not JSON", "{source:", /not valid JSON/],
    ["not an object", '["aws.ec2"]', /Filter is not an object/],
    ["an empty pattern", "{}", /Empty objects are not allowed/],
    ["a value outside an array", '{"source":"aws.ec2"}', /"source" must be an object or an array/],
    ["an empty array", '{"source":[]}', /Empty arrays are not allowed at "source"/],
    ["an unknown operator", '{"source":[{"contains":"ec2"}]}', /Unrecognized match type contains at "source"/],
    ["an operator with two keys", '{"source":[{"prefix":"a","suffix":"b"}]}', /exactly one key/],
    ["a prefix that is not a string", '{"source":[{"prefix":5}]}', /"prefix" at "source" must be a string/],
    ["numeric without a number", '{"n":[{"numeric":[">","5"]}]}', /must be followed by a number/],
    ["numeric with an unknown operator", '{"n":[{"numeric":["!=",5]}]}', /unrecognized numeric range operator/],
    ["numeric upside down", '{"n":[{"numeric":[">",10,"<",5]}]}', /bottom must be less than the top/],
    ["numeric out of range", '{"n":[{"numeric":["<",6e9]}]}', /outside the range/],
    ["consecutive wildcards", '{"s":[{"wildcard":"a**b"}]}', /Consecutive wildcard characters/],
    ["a wildcard escaping a letter", '{"s":[{"wildcard":"a\\\\b"}]}', /Invalid escape character/],
    ["anything-but of strings and numbers", '{"s":[{"anything-but":["a",1]}]}', /only strings or only numbers/],
    ["exists that is not a boolean", '{"s":[{"exists":"yes"}]}', /"exists" at "s" must be true or false/],
    ["a bad CIDR block", '{"ip":[{"cidr":"10.0.0.0/33"}]}', /IPv4 or IPv6 address or CIDR block/],
    ["an array in a value array", '{"s":[["a"]]}', /not an array/],
  ];
  for (const [name, text, message] of REFUSED) {
    it(name, () => {
      expect(() => compilePattern(text)).toThrow(message);
      expect(() => compilePattern(text)).toThrow(/^Event pattern is not valid\. Reason: /);
    });
  }
});
