/** The bot's main commands: the help card's buttons, and the manifest's commandLists (appPackage/ reads them from here). */
export const mainCommands: Array<{ title: string; description: string }> = [
  { title: 'Who is my delegate', description: 'See your delegates, their presence and what they may do' },
  { title: 'Who am I a delegate for', description: 'See whose calls you handle and whether they are free' },
  { title: 'Who can take my call now', description: 'The delegates who can answer your calls right now' },
  { title: 'Is my delegate available', description: 'Presence and status messages (or ask about anyone by name)' },
  { title: 'Call my delegate', description: 'Start a Teams call with your best available delegate' },
  { title: 'Tell me when my delegate is free', description: 'A message in this chat when they become available' },
  { title: 'What am I waiting for', description: 'The people you asked me to tell you about, and stopping it' },
  { title: 'Help', description: 'What Delegate Desk can do' },
];
