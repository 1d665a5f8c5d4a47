#!/usr/bin/env bash
# Unpacks a private copy of Debian 13's C/C++ runtime (libc6, libstdc++6, libgcc-s1) into
# bench/.torchsharp-runtime, for the TorchSharp peer only.
#
# Why: TorchSharp 0.107.0's libLibTorchSharp.so asks for GLIBCXX_3.4.32 (GCC >= 13); Debian 12's
# libstdc++ has 3.4.30 and no Debian 12 suite (bookworm, -updates, -security, -backports) has a newer one.
# Debian 13's libstdc++6 has it but needs glibc >= 2.38 (Debian 12 has 2.36), so the peer process runs
# with Debian 13's glibc and dynamic loader as well. Nothing is installed system-wide: the packages are
# only downloaded with apt-get (from a private package list) and unpacked with dpkg-deb.
# NotebookCnn.Bench then starts the peer through a copy of its launcher whose ELF interpreter is that
# loader (patchelf), with LD_LIBRARY_PATH set for that process alone.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="${1:-$here/../.torchsharp-runtime}"
suite="${SUITE:-trixie}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v patchelf >/dev/null || apt-get install -y patchelf

mkdir -p "$work/lists/partial" "$work/archives/partial"
echo "deb http://deb.debian.org/debian $suite main" > "$work/sources.list"
apt_options=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-"
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::archives=$work/archives"
  -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=" -o "APT::Sandbox::User=root")
apt-get "${apt_options[@]}" update
(cd "$work" && apt-get "${apt_options[@]}" download libc6 libstdc++6 libgcc-s1)

rm -rf "$dest"
mkdir -p "$dest"
for deb in "$work"/*.deb; do
  dpkg-deb -x "$deb" "$dest"
  dpkg-deb -f "$deb" Package Version >> "$dest/PACKAGES"
done
lib="$dest/usr/lib/x86_64-linux-gnu"
grep -q GLIBCXX_3.4.32 "$lib/libstdc++.so.6" || { echo "libstdc++ from $suite lacks GLIBCXX_3.4.32" >&2; exit 1; }
echo "Private runtime for the TorchSharp peer in $dest:"
cat "$dest/PACKAGES"
