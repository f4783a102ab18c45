import { shellQuote } from "../../shell/quote";
import { script, type PhaseContext } from "../phaseContext";
import type { Phase } from "../types";

/** A key pair on the controller and passwordless root SSH from it to every host, by name. */
export function sshTrustPhase({ input }: PhaseContext): Phase {
  const names = input.hosts.map((h) => shellQuote(h.name)).join(" ");
  const batchSsh = "ssh -o BatchMode=yes -o ConnectTimeout=10";
  // A host's key is trusted on first contact. StrictHostKeyChecking=accept-new would do it, but
  // CentOS 7 has OpenSSH 7.4 (accept-new came in 7.6): ssh-keyscan adds keys not yet known.
  const knowHost = 'ssh-keygen -F "$h" >/dev/null || ssh-keyscan -T 10 "$h" 2>/dev/null >> /root/.ssh/known_hosts';
  const reachesAll = script([`for h in ${names}; do ${knowHost}; ${batchSsh} "$h" true || exit 1; done`]);
  return {
    key: "ssh-trust",
    title: "Passwordless SSH from the controller",
    steps: [
      {
        key: "ssh-trust.keypair",
        title: "Key pair on the controller",
        roles: ["controller"],
        check: script(["[ -s /root/.ssh/id_rsa ] && [ -s /root/.ssh/id_rsa.pub ]"]),
        apply: script(["install -d -m 700 /root/.ssh", "ssh-keygen -q -t rsa -b 4096 -N '' -f /root/.ssh/id_rsa"]),
        outputs: { names: ["CONTROLLER_PUBKEY"], script: script(['printf "CONTROLLER_PUBKEY=%s\\n" "$(cat /root/.ssh/id_rsa.pub)"']) },
        timeoutSeconds: 60,
      },
      {
        key: "ssh-trust.authorize",
        title: "Authorize the controller's key",
        roles: ["controller", "compute"],
        imports: ["CONTROLLER_PUBKEY"],
        check: script(['sp_need CONTROLLER_PUBKEY', 'grep -qxF "$CONTROLLER_PUBKEY" /root/.ssh/authorized_keys 2>/dev/null']),
        apply: script([
          "sp_need CONTROLLER_PUBKEY",
          "install -d -m 700 /root/.ssh",
          'printf "%s\\n" "$CONTROLLER_PUBKEY" >> /root/.ssh/authorized_keys',
          "chmod 600 /root/.ssh/authorized_keys",
        ]),
        timeoutSeconds: 30,
      },
      {
        key: "ssh-trust.verify",
        title: "ssh -o BatchMode=yes from the controller to every host",
        roles: ["controller"],
        check: reachesAll,
        apply: reachesAll,
        verify: script([`for h in ${names}; do echo "$h: $(${batchSsh} "$h" hostname)"; done`]),
        timeoutSeconds: 120,
      },
    ],
  };
}
