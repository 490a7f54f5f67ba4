/** The activity chart's series: which hour field, its name, and the design token it is drawn in. */
export const ACTIVITY_SERIES = [
  { key: 'messages', label: 'Messages', token: '--accent' },
  { key: 'toolCalls', label: 'Tool calls', token: '--ok' },
  { key: 'blocked', label: 'Blocked', token: '--danger' },
] as const;
