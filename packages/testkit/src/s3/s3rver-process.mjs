// s3rver for the tests, in a process of its own: its ListObjectsV2 continuation tokens are DES-encrypted,
// which Node's OpenSSL 3 offers only with --openssl-legacy-provider (not a flag for the test process).
// Prints "listening <port>", then "request <url>" per request; exits with its parent.
import S3rver from "s3rver";

const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: process.argv[2] });
const { port } = await server.run();
const http = server.httpServer;
const [handle] = http.listeners("request");
http.removeAllListeners("request");
http.on("request", (req, res) => {
  process.stdout.write(`request ${req.url}\n`);
  handle(req, res);
});
process.stdout.write(`listening ${port}\n`);

const stop = () => {
  http.closeAllConnections();
  server.close().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("disconnect", stop);
