/** `npm run docs:config`: writes docs/configuration.md from the configuration schemas. */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CONFIGURATION_DOC, renderConfigReference } from "./config-reference.ts";

const path = fileURLToPath(new URL(`../../${CONFIGURATION_DOC}`, import.meta.url));
writeFileSync(path, renderConfigReference());
process.stdout.write(`wrote ${CONFIGURATION_DOC}\n`);
