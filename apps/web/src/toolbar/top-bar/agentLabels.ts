import type { Role } from '@parley/contract';

const roleLabels: Record<Role, string> = {
  agent: 'Agent',
  manager: 'Manager',
  administrator: 'Administrator',
};

export function roleLabel(role: Role): string {
  return roleLabels[role];
}

/** Up to two letters for the avatar: first and last word of the name. */
export function initials(displayName: string, fallback: string): string {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? fallback[0] ?? '?';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}
