#!/bin/sh
# Fetch the background images used to train the plate detector (models/plates/synth.py)
# from two Debian packages into .cache/plates-bg/.  Nothing fetched here is committed.
# These are deliberately NOT the dev set's backgrounds (models/eval/backgrounds.tsv:
# lomiri-wallpapers-16.04, mate-backgrounds) nor the opencv-doc media.
# Licences per file are in backgrounds.tsv (CC-BY-SA-3.0 / GPL-2+).
# Uses the system's configured apt sources.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../fetch-debian-files.sh" "$here/backgrounds.tsv" "$here/../../.cache/plates-bg"
