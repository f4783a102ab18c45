import { installPackages, packagesInstalled } from "../packages";
import { allOf, enableAndStart, isActive, script, type PhaseContext } from "../phaseContext";
import type { Phase } from "../types";

/** RabbitMQ on the controller: the openstack user with full permissions, the management plugin. */
export function rabbitmqPhase({ facts }: PhaseContext): Phase {
  const { rabbitmq } = facts;
  const ports = [
    { port: 5672, on: "controller" as const, fromRoles: ["compute" as const], label: "RabbitMQ" },
    { port: 25672, on: "controller" as const, fromRoles: ["compute" as const], label: "RabbitMQ clustering" },
  ];
  return {
    key: "rabbitmq",
    title: "Message queue (RabbitMQ)",
    steps: [
      {
        key: "rabbitmq.install",
        title: "Install RabbitMQ, enabled and started",
        roles: ["controller"],
        check: allOf([packagesInstalled(facts, rabbitmq.packages), isActive([rabbitmq.service])]),
        apply: script([installPackages(facts, rabbitmq.packages), enableAndStart([rabbitmq.service]), "rabbitmqctl await_startup >/dev/null 2>&1 || rabbitmqctl wait --timeout 60 /var/run/rabbitmq/pid 2>/dev/null || sleep 5"]),
        ports,
        services: [rabbitmq.service],
        timeoutSeconds: 600,
      },
      {
        key: "rabbitmq.user",
        title: "User openstack with permissions \".*\" \".*\" \".*\"",
        roles: ["controller"],
        // The password goes to rabbitmqctl on stdin, never as an argument.
        check: allOf(
          [
            "rabbitmqctl -q list_users | awk '{print $1}' | grep -qx openstack",
            "rabbitmqctl -q list_user_permissions openstack | grep -qE '^/\\s+\\.\\*\\s+\\.\\*\\s+\\.\\*'",
            'printf "%s" "$RABBIT_PASS" | rabbitmqctl authenticate_user openstack >/dev/null 2>&1',
          ],
          ["RABBIT_PASS"],
        ),
        apply: script(
          [
            "sp_need RABBIT_PASS",
            "if rabbitmqctl -q list_users | awk '{print $1}' | grep -qx openstack; then",
            '  printf "%s" "$RABBIT_PASS" | rabbitmqctl change_password openstack',
            "else",
            '  printf "%s" "$RABBIT_PASS" | rabbitmqctl add_user openstack',
            "fi",
            "rabbitmqctl set_permissions openstack '.*' '.*' '.*'",
          ],
          ["RABBIT_PASS"],
        ),
        services: [rabbitmq.service],
        timeoutSeconds: 120,
      },
      {
        key: "rabbitmq.management",
        title: "Management plugin",
        roles: ["controller"],
        check: script(["rabbitmq-plugins list -e -m | grep -qx rabbitmq_management"]),
        apply: script(["rabbitmq-plugins enable rabbitmq_management"]),
        ports: [{ port: 15672, on: "controller", fromRoles: ["compute"], label: "RabbitMQ management" }],
        services: [rabbitmq.service],
        timeoutSeconds: 120,
      },
    ],
  };
}
