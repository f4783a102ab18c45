import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native modules: bundling them breaks (sshcrypto.node, better_sqlite3.node).
  serverExternalPackages: ["ssh2", "better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/client"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
