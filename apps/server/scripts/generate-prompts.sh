#!/bin/sh
# Writes the stock IVR prompts (8 kHz mono 16-bit WAV) into apps/server/sounds/prompts with
# Debian's espeak-ng and sox. The WAVs are committed; run this only to change them:
#   apt-get install espeak-ng sox && sh apps/server/scripts/generate-prompts.sh
set -eu
out="$(dirname "$0")/../sounds/prompts"
mkdir -p "$out"
say() {
  espeak-ng -v en-gb -s 150 -w "$out/$1.tmp.wav" "$2"
  sox "$out/$1.tmp.wav" -r 8000 -c 1 -b 16 "$out/$1.wav"
  rm "$out/$1.tmp.wav"
}
say welcome-menu "Thank you for calling ACME. For sales, press 1. For support, press 2."
say invalid-choice "Sorry, that is not one of the choices."
say no-input "Sorry, we did not hear your choice."
say please-hold "Please hold while we connect you to the next available agent."
say closed "Our office is closed. Please call again during business hours. Goodbye."
say enter-account "Please enter your account number, followed by the hash key."
say goodbye "Thank you for calling. Goodbye."
say agent-id "Please enter your agent I D, followed by the hash key."
say agent-pin "Please enter your PIN, followed by the hash key."
say agent-connected "You are connected. Calls will come through with a beep."
say agent-login-failed "That agent I D and PIN do not match."
say phone-ready "Your phone is connected. It will ring for each call.."
say service-closing "Sorry, we are closing for a moment. Please call again shortly."
say dialler-information "Sorry, we called you, but nobody is free to speak with you right now. We will not call you again for at least three days. To stop our calls, call back on the number shown and ask to be removed from our list. Goodbye."
