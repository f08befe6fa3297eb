# CPACK_PRE_BUILD_SCRIPTS hook: runs after CPack staged the install tree, before it builds the
# .deb. Fails the package when an expected file is missing or an unexpected one is present (e.g.
# a test or benchmark that grew an install rule).
cmake_minimum_required(VERSION 3.25)  # IN_LIST

set(_expected
    usr/bin/gatehouse
    usr/bin/gatehousectl
    usr/libexec/gatehouse/gatehoused
    usr/lib/systemd/system/gatehoused.service
    usr/lib/sysusers.d/gatehouse.conf
    usr/lib/tmpfiles.d/gatehouse.conf
    usr/share/dbus-1/services/io.gatehouse.Gatehouse1.service
    usr/share/dbus-1/system.d/io.gatehouse.Gatehouse1.conf
    usr/share/applications/io.gatehouse.Gatehouse.desktop
    usr/share/icons/hicolor/scalable/apps/io.gatehouse.Gatehouse.svg
    usr/share/metainfo/io.gatehouse.Gatehouse.metainfo.xml
    usr/share/man/man1/gatehouse.1
    usr/share/man/man1/gatehousectl.1
    usr/share/man/man8/gatehoused.8)

# CPack stages into <CPACK_TEMPORARY_DIRECTORY> (a single, component-less package).
set(_root "${CPACK_TEMPORARY_DIRECTORY}")
file(GLOB_RECURSE _found LIST_DIRECTORIES false RELATIVE "${_root}" "${_root}/*")
list(SORT _found)

set(_problems "")
foreach(_f IN LISTS _expected)
    if(NOT _f IN_LIST _found)
        string(APPEND _problems "\n  missing:    ${_f}")
    endif()
endforeach()
foreach(_f IN LISTS _found)
    if(NOT _f IN_LIST _expected)
        string(APPEND _problems "\n  unexpected: ${_f}")
    endif()
endforeach()
# Directories the package owns even when empty.
foreach(_d IN ITEMS usr/share/gatehouse/permissions)
    if(NOT IS_DIRECTORY "${_root}/${_d}")
        string(APPEND _problems "\n  missing directory: ${_d}")
    endif()
endforeach()
if(_problems)
    message(FATAL_ERROR "gatehouse package contents are wrong (installer/check-package.cmake):${_problems}")
endif()
message(STATUS "gatehouse package contents checked: ${_expected}")
