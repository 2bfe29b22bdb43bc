import { TOOLBAR_SHORTCUTS } from '../toolbar/useToolbarShortcuts';

export interface HelpShortcut {
  /** As pressed on Windows and Linux. */
  keys: string;
  /** As pressed on a Mac. */
  macKeys: string;
  description: string;
}

export interface HelpTopic {
  id: string;
  title: string;
  intro?: string;
  steps?: string[];
  points?: string[];
  shortcuts?: HelpShortcut[];
}

/** The toolbar in brief, in the words of the Agent Toolbar user guide. */
export const helpTopics: HelpTopic[] = [
  {
    id: 'toolbar',
    title: 'The toolbar',
    intro:
      'The toolbar is where you log in through your browser, establish a telephone connection and handle your interactions.',
    points: [
      'Notifications: the bell at the top shows how many there are; open it to read them or clear them all.',
      'Agent menu: click your avatar on the right to see who is signed in and to Sign Out.',
      'Side panel: lists your queues (how many contacts are waiting and the longest wait), teams and campaigns. Collapse and expand it with the button at the top left, or press Ctrl+B (⌘B on a Mac).',
      'Interactions: the middle of the toolbar displays your current active interactions.',
    ],
  },
  {
    id: 'status',
    title: 'Agent status',
    intro: 'Your status is either Available or a Pause state.',
    points: [
      'The status button at the top shows your status and how long you have been in it; click it to choose Available or a pause reason. During wrap-up it selects your status for after the wrap.',
      'When you are ready to take inbound calls or make outbound dialer calls, change the status to an Available state.',
      'To make a manual outbound call, or when there is after call work, change to a Pause state.',
      'Auto Pause: the system changes your status to Paused with a Pause Reason of "Auto Pause" when it cannot detect a voice connection before delivering a call, for example when an offered call is not answered within the Agent Ring Timeout. On Auto Pause you cannot receive calls: change your status to Available.',
    ],
  },
  {
    id: 'connection-modes',
    title: 'Connection modes',
    intro: 'After logging in, select the voice connectivity mode.',
    points: [
      'Call in to Connect (persistent only): dial the nominated number from the phone you wish to use and enter your agent ID and PIN. The single voice call remains open for the duration of your session.',
      'Call me to Connect: enter the number or extension you wish to use; your phone rings and you answer it to establish the connection. Choose a persistent or non-persistent connection.',
      'Web Connect: calls directly through the web browser, with no soft-phone, desk phone or plug-in. Leave its tab open for the duration of the login.',
      'Persistent: the voice connection remains established and incoming calls arrive instantly with a beep. Non-persistent: the connection is only established when a call is offered and answered or an outbound call is made.',
      'If the voice connection is lost, a Voice Disconnected alert displays briefly; click Connect Voice to re-establish it.',
    ],
  },
  {
    id: 'taking-calls',
    title: 'Taking calls',
    steps: [
      'When you are ready to take inbound calls or make outbound dialer calls, change the status to an Available state.',
      'When a call is presented you either hear a beep in your headset or your phone rings, depending on the connectivity mode selected when logging in.',
      'A script appears in the middle section of the toolbar.',
      'Information about the call appears on the right-hand side, including a section for notes to be stored with the call.',
    ],
  },
  {
    id: 'wrap',
    title: 'Wrapping a call',
    intro: 'When the call is finished:',
    steps: [
      'Select your status for the next call. For example, if there is after call work, select the pause status from the dropdown.',
      'Select an Outcome from the dropdown at the bottom of the information section and click Wrap Call.',
    ],
  },
  {
    id: 'signing-out',
    title: 'Logging out',
    steps: [
      'When you are ready to log out, change the status to a Pause state.',
      'Hang up your phone. For Web Connect, close the Web Connect tab.',
      'Click your avatar in the menu on the right side of the screen, then click Sign Out.',
    ],
  },
  {
    id: 'keyboard-shortcuts',
    title: 'Keyboard shortcuts',
    intro:
      'The toolbar can be used from the keyboard alone: Tab moves through the top bar from left to right, then the side panel and your interactions. These shortcuts work anywhere in the toolbar except while you type in a text field.',
    shortcuts: [
      ...Object.values(TOOLBAR_SHORTCUTS).map(({ keys, macKeys, description }) => ({
        keys,
        macKeys,
        description,
      })),
      { keys: 'Ctrl+B', macKeys: '⌘B', description: 'Collapse or expand the side panel.' },
    ],
  },
];
