// Kept so existing imports keep working; the one implementation is browser-safe and lives in src/shared.
export { visible, hasHiddenCharacters } from '../shared/visible';
