#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the program and its tests need and are missing:
# Qt's libraries for the window (offscreen and on a desktop), make, and PostgreSQL's server
# binaries for the engine's PostgreSQL tests. Used by `make run`, `make test` and .ci/run.
# Runs apt only when something is missing; with sudo when not root. Elsewhere it says what
# to install and carries on.
set -euo pipefail

APT_PACKAGES=(
  # Qt offscreen and on X11/Wayland
  libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
  libxcb-shape0 libxkbcommon-x11-0
  # fonts that cover contact names in many scripts
  fonts-dejavu-core
  # the build and the test suite
  make postgresql
  # Graphviz's dot reads the DOT export back in tests; Chromium checks message templates
  graphviz chromium
  # a real IMAP server for the bounce-mailbox test (started by the test in a temp folder)
  dovecot-imapd
  # SpamAssassin scores the demo messages we send (local tests only, no network)
  spamassassin
)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: not a Debian/Ubuntu system; install Qt 6's libraries and" \
       "PostgreSQL's server with your package manager" >&2
  exit 0
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-system-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-system-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
