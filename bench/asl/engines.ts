/**
 * The two engines behind one signature: prepare a definition once, then run executions of it. The peer's
 * StateMachine object is built once per definition (its intended use); Stepwise's runner takes the plain
 * definition and caches its compiled form itself.
 */
import { StateMachine } from "aws-local-stepfunctions";
import { type Json, runExecution, type StateMachineDefinition, validateDefinition } from "../../packages/asl/src/index.ts";

export type Execute = (input: Json) => Promise<Json>;

export interface Engine {
  name: string;
  prepare(definition: StateMachineDefinition): Execute;
}

export const stepwise: Engine = {
  name: "Stepwise",
  prepare(definition) {
    const validation = validateDefinition(definition);
    if (!validation.ok) throw new Error(`Stepwise rejects the bench definition: ${JSON.stringify(validation.diagnostics)}`);
    return async (input) => {
      const run = await runExecution(definition, { input });
      if (run.status !== "SUCCEEDED") throw new Error(`Stepwise execution ${run.status}: ${run.error} ${run.cause}`);
      return run.output ?? null;
    };
  },
};

export const awsLocalStepFunctions: Engine = {
  name: "aws-local-stepfunctions",
  prepare(definition) {
    // The peer's own definition type is structurally the same ASL; it is declared separately by that package.
    const machine = new StateMachine(definition as ConstructorParameters<typeof StateMachine>[0]);
    return async (input) => (await machine.run(input).result) as Json;
  },
};
