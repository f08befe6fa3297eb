#!/usr/bin/env bash
# Installs every Debian 12 package Gatehouse needs to build, run, test, benchmark and package.
# Usage: deps.sh [--bench]
# Idempotent: does nothing (and needs no network) when everything is already present.
set -euo pipefail

PACKAGES=(
    # toolchain
    build-essential cmake ninja-build ccache pkg-config git clang-format file dpkg-dev
    # clang++ and its libFuzzer/sanitizer runtimes (tests/fuzz, `make fuzz`)
    clang libclang-rt-14-dev
    # Qt 6.4 (GUI, QML, tests) and the QML modules the screens import at run time
    qt6-base-dev qt6-base-dev-tools qt6-declarative-dev qt6-declarative-dev-tools
    qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
    qml6-module-qtquick-templates qml6-module-qtquick-window qml6-module-qtqml-workerscript
    qml6-module-qtquick-dialogs qml6-module-qt-labs-folderlistmodel qml6-module-qttest qml6-module-qtqml
    qt6-qpa-plugins libgl1-mesa-dri fonts-dejavu-core
    # lupdate/lrelease and Qt6LinguistTools for CMake: the translations (resources/i18n) are built
    # into the GUI; qt6-translations-l10n gives Qt's own dialogs (the file dialog) their German
    qt6-l10n-tools qt6-tools-dev qt6-translations-l10n
    # Qt's SVG icon engine: the window icon is the SVG app icon (resources/icons)
    libqt6svg6
    # security libraries
    libsqlcipher-dev sqlcipher libsodium-dev qtkeychain-qt6-dev libpwquality-dev cracklib-runtime
    liboath-dev libqrencode-dev libfido2-dev libcbor-dev libssl-dev
    # test harness: real Secret Service, real windows, screenshots
    dbus dbus-x11 gnome-keyring libsecret-tools xvfb xauth x11-utils imagemagick zbar-tools
    # accessibility test (tests/ui/atspi): the AT-SPI bus and registry, and a Python AT-SPI client
    at-spi2-core python3-pyatspi
    # system-mode checks (tests/installer): systemd-analyze security, xmllint on the bus policy
    systemd libxml2-utils
    # manual pages: generated from --help at build time, rendered by tests/installer
    help2man man-db groff-base
    # desktop entry and AppStream checks (tests/installer/desktop_files)
    desktop-file-utils appstream
    # benchmarks (bench_desktop watches the X server through xcb)
    libbenchmark-dev libxcb1-dev
)
# `deps.sh --bench` (make bench) adds what only the benchmarks compare against: KeePassXC, the
# reference of bench_desktop. It is no dependency of Gatehouse.
if [ "${1:-}" = "--bench" ]; then
    PACKAGES+=(keepassxc)
fi

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
