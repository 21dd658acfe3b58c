#!/bin/sh
# Fetch the background photographs used by build_devset.py from Debian packages
# (CC-BY / CC-BY-SA / CC0 / GPL-2+, see backgrounds.tsv) into .cache/devset-bg/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../fetch-debian-files.sh" "$here/backgrounds.tsv" "$here/../../.cache/devset-bg"
