// Plain JavaScript on purpose: a next.config.ts is compiled with SWC at every server start, which
// loads Next's native compiler into the running server (tens of MB of memory for nothing).

/** @type {import("next").NextConfig} */
const nextConfig = {
  // Native modules: bundling them breaks (sshcrypto.node, better_sqlite3.node).
  serverExternalPackages: ["ssh2", "better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/client"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
