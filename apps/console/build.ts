/** `npx tsx apps/console/build.ts [outdir]`: builds the console bundle (the server also does this by itself). */
import { buildConsole } from "./src/bundle.ts";

const outdir = await buildConsole(process.argv[2] ? { outdir: process.argv[2] } : {});
process.stdout.write(`console built in ${outdir}\n`);
