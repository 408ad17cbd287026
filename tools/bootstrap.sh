# Sourced by ./run and ./run-tests: makes sure the Debian packages, the virtual environment and the pip packages
# are there, installing only what is missing. Safe to run again and again; a second run takes about a second.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PROCTORPREP_VENV:-$ROOT/.venv}"

say() { printf 'proctorprep setup: %s\n' "$*" >&2; }

# Debian packages the app needs at run time: PortAudio for the microphone, and the xcb/GL libraries without which
# Qt cannot open a window ("Could not load the Qt platform plugin xcb").
RUNTIME_DEBS=(libportaudio2 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
              libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xkb1 libxkbcommon-x11-0 libgl1 libegl1
              libdbus-1-3 libfontconfig1 fonts-dejavu-core)
# Only for the tests: a virtual screen, speech synthesis (espeak-ng, and flite's more natural voices for the
# speech-content tests; Debian's mbrola voices are not in main) and recordings, a sound server for the real
# microphone path, PDF-to-image for report checks, and desktop-file-validate for the Linux desktop entry.
TEST_DEBS=(xvfb xauth espeak-ng flite alsa-utils pulseaudio pulseaudio-utils libasound2-plugins poppler-utils
           desktop-file-utils)

missing_debs() {
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || printf '%s ' "$p"
    done
}

ensure_debs() {
    command -v apt-get >/dev/null 2>&1 || return 0   # not Debian/Ubuntu: nothing we can do automatically
    local missing
    missing="$(missing_debs "$@")"
    [ -z "$missing" ] && return 0
    local SUDO=""
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            SUDO="sudo -n"
        else
            say "these Debian packages are missing: $missing"
            say "install them with:  sudo apt-get install -y $missing"
            say "continuing without them (the microphone or the window may not work)."
            return 0
        fi
    fi
    say "installing Debian packages: $missing"
    # apt-get update only when the package lists are empty or the install fails on stale lists
    if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null; then
        $SUDO apt-get update -q >/dev/null
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
    fi
}

find_python() {
    local c
    for c in "${PROCTORPREP_PYTHON:-}" python3.11 python3; do
        [ -n "$c" ] || continue
        if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            command -v "$c"; return 0
        fi
    done
    return 1
}

ensure_venv() {
    local extras="$1"   # "" or "[test]"
    local py
    if ! py="$(find_python)"; then
        ensure_debs python3.11 python3.11-venv
        py="$(find_python)" || { say "Python 3.11 is needed (set PROCTORPREP_PYTHON to its path)."; exit 1; }
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating the virtual environment in $VENV"
        if ! "$py" -m venv "$VENV" 2>/dev/null; then
            ensure_debs python3.11-venv
            rm -rf "$VENV"; "$py" -m venv "$VENV"
        fi
        "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
    fi
    # Re-install only when pyproject.toml changed or the extras asked for grew.
    local stamp="$VENV/.proctorprep-installed$extras"
    local want
    want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        say "installing Python packages (first run takes a minute or two)"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT$extras"
        echo "$want" > "$stamp"
    fi
}
