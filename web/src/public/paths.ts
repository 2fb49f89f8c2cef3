/** Pages for travellers and the public: no staff sign-in, no staff top bar. */
export function isPublicPath(path: string): boolean {
  return /^\/(enroll|subscribe|privacy|roster-checkin|checkin)(\/|$)/.test(path);
}
