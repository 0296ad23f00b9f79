#!/usr/bin/env bash
# Prepares the real-kernel parity harness: the Debian packages it needs, the
# bookworm-backports apt source (for the 6.12 line), and the two kernel images
# pinned in parity/kernels.json, unpacked into a cache folder outside git.
#
#   scripts/parity-setup.sh                        fetch both pinned kernels
#   scripts/parity-setup.sh --kernel-image FILE    also register a kernel you built
#   scripts/parity-setup.sh --print-cache          print the cache folder and exit
#
# Idempotent: a second run only checks that the files are there (well under 1 s).
# The cache is $MIGTRACE_CACHE, else $XDG_CACHE_HOME/migtrace, else ~/.cache/migtrace:
# outside the clone, so a clean clone in CI reuses the images.
set -euo pipefail
cd "$(dirname "$0")/.."

cache=${MIGTRACE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/migtrace}
user_image=
while [ $# -gt 0 ]; do
  case $1 in
    --kernel-image) user_image=${2:?--kernel-image needs a path}; shift 2 ;;
    --kernel-image=*) user_image=${1#*=}; shift ;;
    --print-cache) echo "$cache"; exit 0 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "parity-setup: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. Packages: only what is missing, and apt-get update only if something is.
need=()
for cmd_pkg in qemu-system-x86_64:qemu-system-x86 cpio:cpio gcc:gcc; do
  command -v "${cmd_pkg%%:*}" >/dev/null 2>&1 || need+=("${cmd_pkg#*:}")
done
# busybox must be the static build: it runs alone in the initramfs.
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
  echo "parity-setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -q >/dev/null
  as_root apt-get install -y -q "${need[@]}" >/dev/null
fi

# 2. The pinned package names: the only place they are written is parity/kernels.json.
pkg_for() { node -e 'const k=require("./parity/kernels.json"); const v=k[process.argv[1]]; if(!v) process.exit(1); console.log(v)' "$1"; }

# The value of FIELD in the deb822 stanza of FILE whose Suites include plain "bookworm".
stanza_field() {
  awk -v want="$2" '
    function flush() { if (hit && val != "") { print val; done = 1 } hit = 0; val = "" }
    /^[ \t]*$/ { flush(); next }
    done { next }
    /^Suites:/ { n = split($0, w, /[ \t]+/); for (i = 2; i <= n; i++) if (w[i] == "bookworm") hit = 1 }
    index($0, want ":") == 1 { val = substr($0, length(want) + 2); sub(/^[ \t]+/, "", val) }
    END { if (!done) flush() }' "$1" | head -1
}

# 3. A bookworm-backports source built from the existing bookworm entry (same host and keyring).
ensure_backports() {
  if grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then return; fi
  local uri keyring src
  src=$(grep -ls -E '^Suites:.*\bbookworm\b' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 || true)
  if [ -n "$src" ]; then
    # deb822: the stanza whose Suites line names plain "bookworm".
    uri=$(stanza_field "$src" URIs | awk '{print $1}')
    keyring=$(stanza_field "$src" Signed-By)
  else
    # one-line format: deb [signed-by=...] URI bookworm main
    local line
    line=$(grep -hE '^deb( |\s+\[[^]]*\])\s+\S+\s+bookworm\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -1 || true)
    uri=$(echo "$line" | sed -E 's/^deb(\s+\[[^]]*\])?\s+(\S+).*/\2/')
    keyring=$(echo "$line" | grep -oE 'signed-by=[^] ]+' | cut -d= -f2 || true)
  fi
  if [ -z "${uri:-}" ]; then
    echo "parity-setup: no bookworm entry in /etc/apt/sources.list*; add a bookworm-backports source by hand" >&2
    exit 1
  fi
  keyring=${keyring:-/usr/share/keyrings/debian-archive-keyring.gpg}
  echo "parity-setup: adding bookworm-backports (same host and keyring as the bookworm entry)"
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: %s\n' "$uri" "$keyring" |
    as_root tee /etc/apt/sources.list.d/migtrace-backports.sources >/dev/null
  as_root apt-get update -q >/dev/null
}

# 4. Each pinned kernel: apt-get download + dpkg -x, once.
fetch_kernel() {
  local label=$1 pkg dir deb
  pkg=$(pkg_for "$label")
  dir="$cache/kernels/$pkg"
  if compgen -G "$dir/boot/vmlinuz-*" >/dev/null; then return; fi
  if ! apt-cache show "$pkg" >/dev/null 2>&1; then
    ensure_backports
    if ! apt-cache show "$pkg" >/dev/null 2>&1; then
      as_root apt-get update -q >/dev/null
      apt-cache show "$pkg" >/dev/null 2>&1 || {
        echo "parity-setup: package $pkg (kernel $label) is not in any apt source; pick a current name with" >&2
        echo "  apt-cache search --names-only 'linux-image-$label.*cloud-amd64-unsigned' and edit parity/kernels.json" >&2
        exit 1
      }
    fi
  fi
  echo "parity-setup: fetching $pkg"
  mkdir -p "$cache/debs" "$dir.tmp"
  (cd "$cache/debs" && rm -f "${pkg}"_*.deb && apt-get download -q "$pkg" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
  deb=$(ls "$cache/debs/${pkg}"_*.deb | head -1)
  dpkg -x "$deb" "$dir.tmp"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  rm -f "$deb"
}

mkdir -p "$cache/kernels"
grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ || ensure_backports
for label in $(node -e 'console.log(Object.keys(require("./parity/kernels.json")).join(" "))'); do
  fetch_kernel "$label"
done

if [ -n "$user_image" ]; then
  [ -f "$user_image" ] || { echo "parity-setup: --kernel-image $user_image: no such file" >&2; exit 2; }
  # A user's kernel needs NUMA, MIGRATION, FTRACE and KPROBE_EVENTS; the harness reports what is missing at boot.
  echo "parity-setup: kernel image $user_image will be used as given (migtrace parity --kernel $user_image)"
fi

for label in $(node -e 'console.log(Object.keys(require("./parity/kernels.json")).join(" "))'); do
  pkg=$(pkg_for "$label")
  echo "parity-setup: kernel $label: $(ls "$cache/kernels/$pkg"/boot/vmlinuz-* | head -1)"
done
