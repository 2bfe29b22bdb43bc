import { PHONE_NUMBERS_PATH, type PhoneNumber, type PhoneNumbersResponse } from '@parley/contract';
import { useEffect, useRef, useState } from 'react';
import { DialPad, isDialKey } from './DialPad';
import { NumberPicker } from './NumberPicker';
import { type CallStatus, usePhoneCall } from './usePhoneCall';

function statusText(status: CallStatus): string {
  switch (status.kind) {
    case 'idle':
      return 'Ready to call';
    case 'calling':
      return 'Calling…';
    case 'live':
      return {
        menu: 'In the menu: choose with the dial pad',
        queued: 'Waiting in queue',
        connected: 'Connected',
        held: 'On hold',
      }[status.state];
    case 'ended':
      return status.reason ? `Call ended: ${status.reason}` : 'Call ended';
    case 'failed':
      return status.message;
  }
}

/** The customer web phone: pick a number, call it from the browser, use the dial pad. */
export function PhonePage() {
  const [numbers, setNumbers] = useState<PhoneNumber[] | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const [selected, setSelected] = useState('');
  const { status, remoteStream, canDial, call, hangUp, sendDigit } = usePhoneCall();
  const audio = useRef<HTMLAudioElement>(null);
  const inCall = status.kind === 'calling' || status.kind === 'live';

  useEffect(() => {
    fetch(PHONE_NUMBERS_PATH)
      .then(async (res) => {
        if (!res.ok) throw new Error(`The numbers could not be loaded (${res.status}).`);
        const body = (await res.json()) as PhoneNumbersResponse;
        setNumbers(body.numbers);
        setSelected(body.numbers[0]?.number ?? '');
      })
      .catch((error: unknown) => setLoadError(error instanceof Error ? error.message : String(error)));
  }, []);

  useEffect(() => {
    const element = audio.current;
    if (!element || !remoteStream) return;
    element.srcObject = remoteStream;
    element.play().catch(() => undefined);
  }, [remoteStream]);

  useEffect(() => {
    if (!canDial) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLSelectElement) return;
      if (isDialKey(event.key)) sendDigit(event.key);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canDial, sendDigit]);

  return (
    <main className="phone">
      <h1>Call us</h1>
      <p className="lead">
        Talk to us from your browser: choose who to call and press Call. Use a headset for the best sound.
      </p>
      {loadError && (
        <p role="alert" className="error">
          {loadError}
        </p>
      )}
      {numbers?.length === 0 && <p>No numbers are open for web calls.</p>}
      {numbers && numbers.length > 0 && (
        <>
          <NumberPicker numbers={numbers} value={selected} disabled={inCall} onChange={setSelected} />
          <p role="status" className={`status status-${status.kind}`}>
            {statusText(status)}
          </p>
          <div className="actions">
            <button
              type="button"
              className="call"
              disabled={inCall || !selected}
              onClick={() => call(selected)}
            >
              Call
            </button>
            {inCall && (
              <button type="button" className="hangup" onClick={hangUp}>
                Hang up
              </button>
            )}
          </div>
          <DialPad enabled={canDial} onDigit={sendDigit} />
        </>
      )}
      {/* biome-ignore lint/a11y/useMediaCaption: a live phone call has no captions to give. */}
      <audio ref={audio} autoPlay />
    </main>
  );
}
