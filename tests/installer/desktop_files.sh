#!/usr/bin/env bash
# The desktop entry and the AppStream metainfo validate, and the metainfo's newest release is the
# version the programs print (issue 15: real release notes).
# Usage: desktop_files.sh RESOURCES_DIR VERSION
set -euo pipefail
dir=$1 version=$2
desktop-file-validate "$dir/io.gatehouse.Gatehouse.desktop"
appstreamcli validate --no-net "$dir/io.gatehouse.Gatehouse.metainfo.xml"
newest=$(grep -o '<release version="[^"]*"' "$dir/io.gatehouse.Gatehouse.metainfo.xml" | head -n 1 | cut -d'"' -f2)
if [ "$newest" != "$version" ]; then
    echo "FAIL: the metainfo's newest release is $newest, the build's version $version"
    exit 1
fi
echo "desktop entry and metainfo valid; newest release $newest"
