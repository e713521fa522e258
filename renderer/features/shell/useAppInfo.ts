import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../shared/contract.js';
import { useClient } from '../../lib/client.js';
import { useFeedback } from '../../lib/feedback.js';

/** `app.info` once at start; its notices (a settings file set aside, …) become banners. */
export function useAppInfo(): AppInfo | null {
  const client = useClient();
  const { reportError, addNotice } = useFeedback();
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    client.call('app.info', {}).then((result) => {
      setInfo(result);
      result.notices.forEach(addNotice);
    }, reportError);
  }, [client, reportError, addNotice]);
  return info;
}
