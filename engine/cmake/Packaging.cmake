# The installed package as a distribution ships it (issue 18), included from the top-level
# CMakeLists.txt once every target exists (switchboard-server comes from web_tests/):
#   - switchboard-server and netlog-view installed beside switchboard-shell;
#   - man pages for the shell and the server, generated from their --help at build time;
#   - a Debian package: `cpack -G DEB` in the build directory (README.md, "Packaging").
include(GNUInstallDirs)

# Relative paths between installed directories (from CMAKE_INSTALL_FULL_*: right for relative
# and absolute CMAKE_INSTALL_*DIR alike, and without doubled slashes).
file(RELATIVE_PATH SWITCHBOARD_BIN_TO_PRIVATE_LIBDIR
  ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR}/switchboard)
file(RELATIVE_PATH SWITCHBOARD_BIN_TO_NETLOG_VIEW_SCRIPT
  ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_DATADIR}/switchboard/netlog-view.js)

# --- switchboard-server: needs no V8, so no RUNPATH at all ----------------------------------
if(TARGET switchboard-server)
  set_target_properties(switchboard-server PROPERTIES INSTALL_RPATH "")
  install(TARGETS switchboard-server RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# --- netlog-view: scripts/netlog-view on the bundled libnode.so.108 -------------------------
# engine/packaging/netlog_view_main.cc calls node::Start on the script, found relative to the
# executable; the build tree gets the same layout (bin/netlog-view, share/switchboard/).
configure_file(${CMAKE_SOURCE_DIR}/scripts/netlog-view
  ${CMAKE_RUNTIME_OUTPUT_DIRECTORY}/${SWITCHBOARD_BIN_TO_NETLOG_VIEW_SCRIPT} COPYONLY)
add_executable(netlog-view ${CMAKE_SOURCE_DIR}/engine/packaging/netlog_view_main.cc)
target_link_libraries(netlog-view PRIVATE v8 switchboard_warnings)
target_compile_definitions(netlog-view PRIVATE
  SWITCHBOARD_NETLOG_VIEW_SCRIPT="${SWITCHBOARD_BIN_TO_NETLOG_VIEW_SCRIPT}")
# Never instrumented (a sanitizer build's flags are dropped): it only starts Node, none of
# Switchboard's code runs in it, and LeakSanitizer would report Node's own exit-time memory.
set_target_properties(netlog-view PROPERTIES
  COMPILE_OPTIONS "" LINK_OPTIONS ""
  INSTALL_RPATH "$ORIGIN/${SWITCHBOARD_BIN_TO_PRIVATE_LIBDIR}")
install(TARGETS netlog-view RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_SOURCE_DIR}/scripts/netlog-view
  DESTINATION ${CMAKE_INSTALL_DATADIR}/switchboard RENAME netlog-view.js)

# --- Man pages (section 1), from each program's --help --------------------------------------
set(SWITCHBOARD_MAN_DIR ${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_MANDIR}/man1)
set(SWITCHBOARD_MAN_PAGES "")
function(switchboard_man_page target summary see_also)
  set(page ${SWITCHBOARD_MAN_DIR}/${target}.1)
  add_custom_command(OUTPUT ${page}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${SWITCHBOARD_MAN_DIR}
    COMMAND ${NODE_EXECUTABLE} ${CMAKE_SOURCE_DIR}/engine/packaging/help-to-man.js
            --program $<TARGET_FILE:${target}> --name ${target} --summary ${summary}
            --version ${PROJECT_VERSION} --see-also ${see_also} -o ${page}
    DEPENDS ${target} ${CMAKE_SOURCE_DIR}/engine/packaging/help-to-man.js ${ARGN}
    COMMENT "Generating the man page ${target}.1 from ${target} --help"
    VERBATIM)
  set(SWITCHBOARD_MAN_PAGES ${SWITCHBOARD_MAN_PAGES} ${page} PARENT_SCOPE)
endfunction()
switchboard_man_page(switchboard-shell
  "run a web page or script in Switchboard's V8 page, or a JavaScript prompt"
  "switchboard-server(1), netlog-view(1)")
if(TARGET switchboard-server)
  switchboard_man_page(switchboard-server
    "Switchboard's reference HTTP and TCPConnection/1.0 test server"
    "switchboard-shell(1)")
endif()
switchboard_man_page(netlog-view
  "draw a Switchboard net log as an SVG or HTML waterfall"
  "switchboard-shell(1)" ${CMAKE_SOURCE_DIR}/scripts/netlog-view)
add_custom_target(switchboard_man_pages ALL DEPENDS ${SWITCHBOARD_MAN_PAGES})
install(FILES ${SWITCHBOARD_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# Each page renders without a warning and lists every option its program's --help lists.
set(man_page_programs $<TARGET_FILE:switchboard-shell> $<TARGET_FILE:netlog-view>)
if(TARGET switchboard-server)
  list(APPEND man_page_programs $<TARGET_FILE:switchboard-server>)
endif()
add_test(NAME packaging.man_pages
  COMMAND ${NODE_EXECUTABLE} ${CMAKE_SOURCE_DIR}/engine/packaging/man_pages_test.js
          ${SWITCHBOARD_MAN_DIR} ${man_page_programs})
set_tests_properties(packaging.man_pages PROPERTIES TIMEOUT 60)

# --- The Debian package: cpack -G DEB -------------------------------------------------------
# Everything `cmake --install` installs, under /usr: the library (and its SONAME link), the
# headers, CMake and pkg-config files, the shell, the server, netlog-view, the man pages, and
# V8's libnode.so.108 in the package's private directory /usr/lib/switchboard/ (found through
# RUNPATH; ldconfig does not see it, so it cannot clash with Debian's libnode108).
# Depends comes from dpkg-shlibdeps on every ELF file in the package, the private libnode
# included (which brings libicu72, libnghttp2-14, libbrotli1, zlib1g …).
set(SWITCHBOARD_PACKAGE_MAINTAINER
  "Switchboard maintainers <maintainers@users.noreply.r-seed-c2229899.example>"
  CACHE STRING "The Debian package's Maintainer field (a distributor sets their own)")
set(CPACK_PACKAGE_NAME switchboard)
set(CPACK_PACKAGE_VENDOR "Switchboard")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "embeddable browser-engine component with TCPConnection, on V8")
set(CPACK_PACKAGE_CONTACT "${SWITCHBOARD_PACKAGE_MAINTAINER}")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # as distributions ship binaries (the build tree keeps the symbols)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${SWITCHBOARD_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The extended description: CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY first and indents each
# line by one space (so the indented list is shown verbatim, the rest is filled).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION [=[Switchboard runs web pages and scripts in a V8 page with console, timers,
location and the TCPConnection API. This package has:
 - libswitchboard, its C++20 embedding API (headers, CMake package
   Switchboard, pkg-config module switchboard) and V8 (a private copy of
   Debian's libnode.so.108 in /usr/lib/switchboard);
 - switchboard-shell, which runs a page, a script or a JavaScript prompt;
 - switchboard-server, the reference HTTP and TCPConnection/1.0 server;
 - netlog-view, which draws a shell's --net-log as SVG or HTML.
Each program has a man page.]=])
# Debian's libnode.so.108 loads some of Node's own JavaScript from /usr/share/nodejs when it runs
# Node (netlog-view does): the same three packages Debian's libnode108 depends on.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "node-acorn (>= 6.2.1~), node-cjs-module-lexer (>= 1.2.2~), node-undici (>= 5.0.0~)")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS
  ${CPACK_PACKAGING_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/switchboard)
# Building against the package (pkg-config --cflags --libs switchboard) needs a C++20 compiler.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "pkg-config")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "g++ (>= 4:12)")
# A shlibs file for libswitchboard.so only (CPack's CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS would
# also declare the private libnode.so.108, which belongs to Debian's libnode108). CPack adds
# the ldconfig calls to postinst and postrm by itself, for the library in /usr/lib.
file(WRITE ${CMAKE_BINARY_DIR}/debian/shlibs
  "libswitchboard ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR} switchboard (>= ${PROJECT_VERSION})\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_BINARY_DIR}/debian/shlibs)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
