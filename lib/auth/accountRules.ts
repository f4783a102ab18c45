/** The admin password's minimum length, checked by the setup form and again by the server. */
export const MIN_PASSWORD_LENGTH = 10;
