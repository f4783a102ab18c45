/** The distributions and OpenStack releases a plan can target. */
export const PROFILES = ["centos7-train", "debian12-zed"] as const;
export type ProfileName = (typeof PROFILES)[number];

export const PROFILE_LABELS: Record<ProfileName, string> = {
  "centos7-train": "CentOS 7 + OpenStack Train (the tutorial)",
  "debian12-zed": "Debian 12 + OpenStack Zed",
};
