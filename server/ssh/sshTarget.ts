/** Where and how to log in to one host. Credentials stay in memory on the server only. */
export type SshTarget = {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
};

export function describeTarget(target: SshTarget): string {
  return `${target.username}@${target.host}:${target.port}`;
}
