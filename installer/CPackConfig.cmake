# CPack configuration: `make deb` (cd build && cpack -G DEB) builds gatehouse_<version>_<arch>.deb.
# Included at the end of the top-level CMakeLists, after every target exists.
#
# The package holds the two programs, the daemon gatehoused with its system-mode files from
# installer/system (unit, bus policy, sysusers.d, tmpfiles.d, session-bus activation) and the
# desktop integration from resources/ (desktop entry, icon, AppStream metainfo), nothing else:
# tests and benchmarks have no install rules.

# The programs' install rules live next to their targets (app/*/CMakeLists.txt); the desktop
# files' in resources/. check-package.cmake runs on the staged tree before packaging and fails
# `make deb` when a program is missing or anything unexpected (a test, a benchmark) got in.
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/check-package.cmake)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME gatehouse)
set(CPACK_PACKAGE_VENDOR "Gatehouse")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "Gatehouse maintainers <maintainers@gatehouse.io>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # the build is RelWithDebInfo; the package ships stripped binaries

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # gatehouse_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Gatehouse keeps local accounts in an encrypted vault (SQLCipher), verifies
passwords (Argon2id), one-time codes and security keys, issues sessions with
enforced lifetimes and lets a local administrator assign roles. Every decision
is written to a hash-chained audit log.
.
Only the daemon, gatehoused, opens the vault; the desktop application
(gatehouse) and the command-line tool (gatehousectl) talk to it over D-Bus.
In system mode (systemd service gatehoused, system user gatehouse) the vault
key is a systemd credential out of the desktop users' reach; in session mode
the daemon runs as the user with the key in the Secret Service.")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Maintainer scripts: create the gatehouse user and /var/lib/gatehouse, reload systemd and the bus;
# never enable or start the service (it needs the vault key first). See installer/debian/.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${CMAKE_CURRENT_LIST_DIR}/debian/postinst;${CMAKE_CURRENT_LIST_DIR}/debian/prerm;\
${CMAKE_CURRENT_LIST_DIR}/debian/postrm")

# Shared libraries (Qt, libsodium, SQLCipher, QtKeychain, …) are found by dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# What dpkg-shlibdeps cannot see: the QML modules the screens import and the Qt platform plugins
# (both loaded at run time), a Secret Service provider for the vault key (QtKeychain talks to it
# over D-Bus; Debian 12 has no virtual package for it), the cracklib dictionary that
# libpwquality reads for the password blocklist, the D-Bus daemon (gatehoused's bus) and Qt's SVG
# icon engine (the window icon is the SVG app icon).
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "qml6-module-qtquick, qml6-module-qtquick-controls, qml6-module-qtquick-layouts, \
qml6-module-qtquick-templates, qml6-module-qtquick-window, qml6-module-qtqml-workerscript, \
qml6-module-qtquick-dialogs, qml6-module-qt-labs-folderlistmodel, \
qt6-qpa-plugins, libqt6svg6, gnome-keyring | keepassxc, cracklib-runtime, dbus")
# The stock sqlcipher shell opens a vault with its key (README: break-glass); systemd runs the
# system-mode service and seals its key (systemd-creds). Session mode needs neither.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "sqlcipher, systemd")
# Qt's own strings in the system language (the file dialog's buttons); Gatehouse's own
# translations are built into the program.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-translations-l10n")

include(CPack)
