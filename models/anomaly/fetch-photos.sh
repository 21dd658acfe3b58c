#!/bin/sh
# Fetch the photos the crop-anomaly flow is trained and evaluated on (photos.tsv: package,
# path, sha256, licence, author; regions.tsv: which part of each photo is training data,
# held-out data or foreign-object material) into .cache/anomaly-photos/root/.
# Nothing fetched here is committed; the committed defect set (defects/) was generated from
# these files by make_defects.py. Uses the system's configured apt sources.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../fetch-debian-files.sh" "$here/photos.tsv" "$here/../../.cache/anomaly-photos"
