import { useEffect } from 'react';

/** While `active`, closing or reloading the tab asks first (the guide: "select Leave if prompted"). */
export function useLeaveWarning(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const handleBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers only ask when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', handleBeforeUnload);
    return () => window.removeEventListener('beforeunload', handleBeforeUnload);
  }, [active]);
}

/** Asks once for notifications, which will announce offered calls when this tab is in the background. */
export function useNotificationPermission(): void {
  useEffect(() => {
    if (!('Notification' in window) || Notification.permission !== 'default') return;
    try {
      Promise.resolve(Notification.requestPermission()).catch(() => undefined);
    } catch {
      // Some browsers refuse outside a click; the tab still works without notifications.
    }
  }, []);
}
