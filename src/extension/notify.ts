// Every notification and dialog ProcScope shows goes through here (an ESLint rule keeps it so).
//
// VS Code turns `[label](command:…)`, `[label](https://…)` and `[label](file:…)` in a notification's message
// into a link, and a command link runs that command, with its arguments, when clicked. A message here often
// holds text nobody at ProcScope wrote: a process or thread name, a file name, a path the webview sent. So
// the whole message is made inert (inertLinks in src/shared/visible.ts): `](` becomes `] (`. Control and invisible
// characters are escaped where each value is put in (visible() in src/shared/visible.ts), as before.
import * as vscode from 'vscode';
import { inertLinks as inert } from '../shared/visible';

export function showInfo<T extends string>(message: string, ...items: T[]): Thenable<T | undefined> {
  return vscode.window.showInformationMessage(inert(message), ...items);
}

export function showWarning<T extends string>(message: string, ...items: T[]): Thenable<T | undefined> {
  return vscode.window.showWarningMessage(inert(message), ...items);
}

export function showError<T extends string>(message: string, ...items: T[]): Thenable<T | undefined> {
  return vscode.window.showErrorMessage(inert(message), ...items);
}

/** A modal warning with a detail text under the message: both made inert. */
export function showModalWarning<T extends string>(message: string, detail: string | undefined, ...items: T[]): Thenable<T | undefined> {
  return vscode.window.showWarningMessage(
    inert(message),
    { modal: true, ...(detail !== undefined ? { detail: inert(detail) } : {}) },
    ...items,
  );
}
