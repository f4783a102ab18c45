import { basePhase } from "./phases/base";
import { chronyPhase } from "./phases/chrony";
import { etcdPhase } from "./phases/etcd";
import { glancePhase } from "./phases/glance";
import { keystonePhase } from "./phases/keystone";
import { mariadbPhase } from "./phases/mariadb";
import { memcachedPhase } from "./phases/memcached";
import { novaPhase } from "./phases/nova";
import { neutronPhase } from "./phases/neutron";
import { neutronAgentsPhase } from "./phases/neutronAgents";
import { novaComputePhase } from "./phases/novaCompute";
import { placementPhase } from "./phases/placement";
import { preflightPhase } from "./phases/preflight";
import { rabbitmqPhase } from "./phases/rabbitmq";
import { sshTrustPhase } from "./phases/sshTrust";
import { verifyPhase } from "./phases/verify";
import type { PhaseContext } from "./phaseContext";
import type { PlaybookHost, PlaybookInput } from "./playbookInput";
import { DISTRO_FACTS } from "./profiles";
import type { PlaybookScope } from "./scope";
import type { Phase, Playbook, Step } from "./types";

type PhaseBuilder = (ctx: PhaseContext) => Phase;

/** The tutorial's order, up to the images. A new phase is one more builder here. */
const TUTORIAL_PHASES: PhaseBuilder[] = [
  preflightPhase,
  basePhase,
  sshTrustPhase,
  chronyPhase,
  mariadbPhase,
  rabbitmqPhase,
  memcachedPhase,
  etcdPhase,
  keystonePhase,
  glancePhase,
];

/** What the compute scope adds after the images, in the guide's order. */
const COMPUTE_PHASES: PhaseBuilder[] = [placementPhase, novaPhase, novaComputePhase, neutronPhase, neutronAgentsPhase];

/** The phases of a scope; the closing verification is always last. */
export function phaseBuildersFor(scope: PlaybookScope): PhaseBuilder[] {
  return [...TUTORIAL_PHASES, ...(scope === "compute" ? COMPUTE_PHASES : []), verifyPhase];
}

/** The playbook for a plan: pure, so it can be unit-tested, previewed and exported without SSH. */
export function buildPlaybook(input: PlaybookInput): Playbook {
  const controller = input.hosts.find((h) => h.role === "controller");
  if (!controller) throw new Error("A playbook needs a controller host.");
  const ctx: PhaseContext = {
    input,
    facts: DISTRO_FACTS[input.profile],
    controller,
    computes: input.hosts.filter((h) => h.role === "compute"),
  };
  return { profile: input.profile, phases: phaseBuildersFor(input.scope).map((build) => build(ctx)) };
}

export function hostsForStep(step: Step, hosts: PlaybookHost[]): PlaybookHost[] {
  return hosts.filter((h) => step.roles.includes(h.role));
}

/** Every step, in order, with its phase. */
export function allSteps(playbook: Playbook): { phase: Phase; step: Step }[] {
  return playbook.phases.flatMap((phase) => phase.steps.map((step) => ({ phase, step })));
}
