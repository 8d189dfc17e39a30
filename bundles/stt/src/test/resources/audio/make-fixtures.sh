#!/bin/sh
# Regenerates the speech fixtures in this folder. Needs the Debian 12 packages espeak-ng and sox
# (apt-get install -y espeak-ng sox). The WAVs are committed, so the build and CI need neither.
#
#   <slug>.wav           16 kHz, mono, 16-bit: the phrase with 0.5 s of silence on each side, as a
#                        microphone would give (espeak's speech starts at sample 0, which costs the
#                        first word in dictation mode)
#   kitchen-22k.wav      espeak's own output format (22050 Hz mono), padded, for the conversion tests
#   two-commands.wav     16 kHz mono: two phrases with 1 s of silence between them (two utterances)
#   phrases.txt          <slug>|<text> for every phrase: the expected transcripts
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

speak() { # slug text...
  slug=$1; shift
  espeak-ng -v en-us -w "$tmp/$slug.raw.wav" "$*"
  sox "$tmp/$slug.raw.wav" -r 16000 -c 1 -b 16 "$slug.wav" pad 0.5 0.5
  echo "$slug|$*" >> "$tmp/phrases.txt"
}

speak hello-world hello world
speak quick-brown-fox the quick brown fox jumps over the lazy dog
speak one-to-five one two three four five
speak kitchen-light turn on the kitchen light
speak weather what is the weather like today
speak seven-to-six seven eight nine zero six
cp "$tmp/phrases.txt" phrases.txt

sox "$tmp/kitchen-light.raw.wav" kitchen-22k.wav pad 0.5 0.5
sox "$tmp/kitchen-light.raw.wav" -r 16000 -c 1 -b 16 "$tmp/a.wav"
sox "$tmp/one-to-five.raw.wav" -r 16000 -c 1 -b 16 "$tmp/b.wav"
sox -n -r 16000 -c 1 -b 16 "$tmp/s05.wav" trim 0 0.5
sox -n -r 16000 -c 1 -b 16 "$tmp/s10.wav" trim 0 1.0
sox "$tmp/s05.wav" "$tmp/a.wav" "$tmp/s10.wav" "$tmp/b.wav" "$tmp/s05.wav" two-commands.wav
