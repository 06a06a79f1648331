/** Emails are compared without case or surrounding spaces: `Ann@Popug.io ` is `ann@popug.io`. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
