/**
 * The app's icons, files in public/ (drawn in public/icon.svg; the PNGs and favicon.ico are made
 * from it by scripts/render-icons.ts). The layout names them in every page's head and the request
 * gate serves them without a session, since the sign-in page shows them too.
 */
export const APP_ICONS = {
  svg: "/icon.svg",
  png32: "/icon-32.png",
  ico: "/favicon.ico",
  appleTouch: "/apple-touch-icon.png",
} as const;

export const APP_ICON_PATHS: readonly string[] = Object.values(APP_ICONS);
