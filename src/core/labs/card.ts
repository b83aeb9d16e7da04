// What a lab shows in the panel: its checklist card, in the user's language. Defined here, where the labs
// compute it; src/protocol.ts carries the same types to the webview.

/** The languages of the user-facing text. */
export type Locale = 'en' | 'ko';

export interface LabCardItem {
  readonly id: string;
  readonly text: string;
  readonly done: boolean;
}

export interface LabCard {
  readonly id: string;
  readonly title: string;
  readonly pids: readonly number[];
  readonly items: readonly LabCardItem[];
}
