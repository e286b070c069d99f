import { useEffect, useRef, useState } from 'react';
import { QUEUE_EVENT_KINDS, type QueueEvent } from './queueApi.ts';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

/**
 * Follows a center's Server-Sent Events. The browser's EventSource resumes by itself with
 * Last-Event-ID; when it gives up (closed), we open a new one from the last id we saw, with
 * a growing delay.
 */
export function useQueueEvents(
  centerCode: string | undefined,
  fromEventId: number | undefined,
  onEvent: (e: QueueEvent) => void,
): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const ready = centerCode !== undefined && fromEventId !== undefined;

  useEffect(() => {
    if (!ready || !centerCode) return;
    let lastId = fromEventId ?? 0;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempts = 0;
    let stopped = false;

    const open = () => {
      if (stopped) return;
      setState(attempts === 0 ? 'connecting' : 'reconnecting');
      source = new EventSource(`/api/queue/centers/${encodeURIComponent(centerCode)}/events?lastEventId=${lastId}`);
      source.onopen = () => {
        attempts = 0;
        setState('live');
      };
      const listener = (msg: MessageEvent<string>) => {
        let e: QueueEvent;
        try {
          e = JSON.parse(msg.data) as QueueEvent;
        } catch {
          return;
        }
        if (e.id <= lastId) return;
        lastId = e.id;
        handler.current(e);
      };
      for (const kind of QUEUE_EVENT_KINDS) source.addEventListener(kind, listener as EventListener);
      source.onmessage = listener;
      source.onerror = () => {
        if (!source || source.readyState !== EventSource.CLOSED) {
          setState('reconnecting');
          return;
        }
        source.close();
        attempts += 1;
        setState('reconnecting');
        timer = setTimeout(open, Math.min(30_000, 1000 * 2 ** Math.min(attempts, 5)));
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
    // Reconnect only when the center changes; lastId is tracked inside.
  }, [centerCode, ready]);

  return state;
}

let audio: AudioContext | null = null;

/** Unlocks sound after a user gesture (browsers block audio until then). */
export function enableChime(): boolean {
  try {
    audio ??= new AudioContext();
    void audio.resume();
    return true;
  } catch {
    return false;
  }
}

/** A two-tone chime, as halls play before announcing a ticket. */
export function playChime(): void {
  if (!audio || audio.state !== 'running') return;
  const now = audio.currentTime;
  [880, 660].forEach((freq, i) => {
    const osc = audio!.createOscillator();
    const gain = audio!.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    const t0 = now + i * 0.35;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.4, t0 + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.6);
    osc.connect(gain).connect(audio!.destination);
    osc.start(t0);
    osc.stop(t0 + 0.65);
  });
}
