import type { HostInput } from "./planView";

/**
 * The tutorial's three nodes: example values for the form, never targets of a test.
 * Management network 192.168.100.0/24, NAT network 192.168.158.0/24.
 */
export function tutorialHosts(newId: () => string): HostInput[] {
  const host = (name: string, role: HostInput["role"], last: number): HostInput => ({
    id: newId(),
    name,
    role,
    managementIp: `192.168.100.${last}`,
    natIp: `192.168.158.${last}`,
    sshPort: 22,
    sshUser: "root",
    authMethod: "password",
  });
  return [host("ct", "controller", 110), host("c1", "compute", 120), host("c2", "compute", 130)];
}
