// mcp-client.cjs drives `reinvent mcp` with the TypeScript MCP SDK's own
// client over stdio, as an assistant would: it lists the tools, calls each
// tool named in the calls, and prints one JSON object on stdout.
//
//   node mcp-client.cjs SDK_DIR BINARY ARGS_JSON CALLS_JSON
//
// SDK_DIR holds node_modules/@modelcontextprotocol/sdk (testenv.NpmPackage);
// ARGS_JSON are the binary's arguments; CALLS_JSON is [{"name", "arguments"}].
const [sdkDir, binary, argsJSON, callsJSON] = process.argv.slice(2);
const load = (p) => require(require.resolve(p, { paths: [sdkDir] }));
const { Client } = load("@modelcontextprotocol/sdk/client/index.js");
const { StdioClientTransport } = load("@modelcontextprotocol/sdk/client/stdio.js");

async function main() {
  const transport = new StdioClientTransport({
    command: binary,
    args: JSON.parse(argsJSON),
    env: process.env,
    stderr: "inherit",
  });
  const client = new Client({ name: "reinvent-e2e", version: "1.0.0" });
  await client.connect(transport);
  const out = { server: client.getServerVersion(), tools: [], results: [] };
  const listed = await client.listTools();
  out.tools = listed.tools.map((t) => t.name).sort();
  for (const call of JSON.parse(callsJSON) ?? []) {
    const started = process.hrtime.bigint();
    const res = await client.callTool({ name: call.name, arguments: call.arguments });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    out.results.push({ name: call.name, isError: !!res.isError, structured: res.structuredContent ?? null, text: res.content?.[0]?.text ?? "", ms });
  }
  await client.close();
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
