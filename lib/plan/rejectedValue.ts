import type { MessageKey } from "../i18n/messages";
import { translate, type MessageParams } from "../i18n/translate";

/** Why a value was not saved, as a key of the wizard's catalog (lib/i18n/messages/wizard.ts). */
export type RejectionCode = Extract<MessageKey, `plan.rejected.${string}`>;

/**
 * A value a save did not take, addressed to its form field like validation issues are
 * ("hosts.1.sshPort", "settings.managementCidr"); a secret is addressed by its key
 * ("service.RABBIT_PASS", "ssh.shared.password"). It never carries the value itself.
 */
export type RejectedValue = {
  path: string;
  /** Stable across languages: the UI shows `t(code, params)`. */
  code: RejectionCode;
  params: MessageParams;
  /** The English text, for the API and logs. */
  message: string;
};

export function rejectedValue(path: string, code: RejectionCode, params: MessageParams = {}): RejectedValue {
  return { path, code, params, message: translate("en", code, params) };
}
