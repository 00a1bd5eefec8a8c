import { once } from "node:events";
import { type AddressInfo, createServer, type Server, Socket } from "node:net";
import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDatabase } from "./connection.ts";

/** A TCP proxy in front of the test database that, while `down`, resets every connection (a Postgres restart, as a client sees it). */
function flakyProxy(target: URL): { server: Server; setDown(down: boolean): void } {
  let down = false;
  const server = createServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = new Socket();
    upstream.connect(Number(target.port || 5432), target.hostname);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close);
    upstream.on("error", close);
  });
  return { server, setDown: (value) => (down = value) };
}

let database: TestDatabase;
let proxy: ReturnType<typeof flakyProxy>;
beforeAll(async () => {
  database = await createTestDatabase();
  proxy = flakyProxy(new URL(database.url));
  proxy.server.listen(0, "127.0.0.1");
  await once(proxy.server, "listening");
});
afterAll(async () => {
  proxy.server.close();
  await database.drop();
});

it("a pool whose connections failed again and again while Postgres restarted is back within seconds once it answers", async () => {
  const url = new URL(database.url);
  url.host = `127.0.0.1:${(proxy.server.address() as AddressInfo).port}`;
  const handle = createDatabase(url.toString(), { max: 4 });
  try {
    expect(await handle.sql`select 1 as one`).toEqual([{ one: 1 }]);
    // Down for a while, with work arriving all along: every connect fails, and postgres.js counts each.
    proxy.setDown(true);
    await handle.sql`select pg_terminate_backend(pg_backend_pid())`.catch(() => undefined);
    const downUntil = Date.now() + 2_000;
    let failures = 0;
    while (Date.now() < downUntil) {
      await handle.sql`select 1`.catch(() => {
        failures += 1;
      });
    }
    expect(failures).toBeGreaterThan(5);
    proxy.setDown(false);
    const back = Date.now();
    for (;;) {
      const ok = await handle.sql`select 1 as one`.then(
        () => true,
        () => false,
      );
      if (ok) break;
      if (Date.now() - back > 30_000) throw new Error("the pool never came back");
    }
    // postgres.js.s own backoff, after this many failures, waits 10-20 s.
    expect(Date.now() - back).toBeLessThan(5_000);
  } finally {
    await handle.close();
  }
});
