import type { ProfileName } from "../../plan/profiles";
import { centos7Train } from "./centos7Train";
import { debian12Zed } from "./debian12Zed";
import type { DistroFacts } from "./distroFacts";

export const DISTRO_FACTS: Record<ProfileName, DistroFacts> = {
  "centos7-train": centos7Train,
  "debian12-zed": debian12Zed,
};
