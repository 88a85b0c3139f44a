// Serves the built playground (dist/) on 127.0.0.1 with no dependencies: `pnpm --filter @rnnkit/playground serve [port]`.
import { startStaticServer } from "./staticServer.mjs";

const port = Number(process.argv[2] ?? 4173);
const { url } = await startStaticServer(new URL("../dist/", import.meta.url), port);
console.log(`rnnkit playground: ${url}`);
