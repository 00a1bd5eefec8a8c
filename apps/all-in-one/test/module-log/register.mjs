// `--import` this file to log every module the process loads (one URL a line) to STEPWISE_MODULE_LOG.
import { register } from "node:module";

register("./hooks.mjs", import.meta.url);
