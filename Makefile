# Makefile - build, install and test tapgate-helper and tapgate

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec
SYSCONFDIR ?= $(PREFIX)/etc
MANDIR     ?= $(PREFIX)/share/man
DESTDIR    ?=
# The Open vSwitch database's unix socket (compiled in; see
# tapgate-helper(8)). Debian, Fedora and upstream all put it here.
OVSDB_SOCK ?= /run/openvswitch/db.sock

# How the helper gets its privilege: setuid root (default) or, with
# SETCAP=1, a file capability. CAP_SETPCAP lets the helper clear its
# bounding set; it is gone, with everything but CAP_NET_ADMIN, before the
# helper acts on its arguments (see SECURITY.md). cap_net_admin+ep alone
# works too, with the bounding set left as inherited.
SUIDMODE    ?= 4755
SETCAP      ?=
SETCAP_CAPS ?= cap_net_admin,cap_setpcap+ep

VERSION    := 0.1.0
ACL_PATH    = $(SYSCONFDIR)/tapgate.conf
HELPER_PATH = $(LIBEXECDIR)/tapgate-helper

CC         ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS     ?= -O2 -g
LDFLAGS    ?=

DEPS_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcap-ng libmnl jansson 2>/dev/null)
DEPS_LIBS   := $(shell $(PKG_CONFIG) --libs libcap-ng libmnl jansson 2>/dev/null || echo -lcap-ng -lmnl -ljansson)
JANSSON_LIBS := $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null || echo -ljansson)
CAPNG_LIBS  := $(shell $(PKG_CONFIG) --libs libcap-ng 2>/dev/null || echo -lcap-ng)
MNL_LIBS    := $(shell $(PKG_CONFIG) --libs libmnl 2>/dev/null || echo -lmnl)

# The helper runs at every VM start, so it links libcap-ng statically when
# the archive is installed (libcap-ng-dev ships one): the dynamic loader then
# maps and relocates one shared object less (about 40 us here; see
# BENCHMARKS.md). The price: a libcap-ng fix reaches the helper only when it
# is rebuilt. libmnl has no static archive in Debian and stays shared.
# HELPER_STATIC_CAPNG=0 links libcap-ng shared too.
HELPER_STATIC_CAPNG ?= $(if $(wildcard $(shell $(CC) -print-file-name=libcap-ng.a)),1,0)
ifeq ($(HELPER_STATIC_CAPNG),1)
HELPER_LIBS = -Wl,-Bstatic $(CAPNG_LIBS) -Wl,-Bdynamic $(MNL_LIBS) $(JANSSON_LIBS)
else
HELPER_LIBS = $(DEPS_LIBS)
endif
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

WARNINGS = -Wall -Wextra -Wformat=2 -Wformat-security -Wshadow \
	   -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
	   -Wcast-align -Wwrite-strings -Wvla -Wimplicit-fallthrough \
	   -Wno-unused-parameter
HARDENING = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE \
	    -fstack-clash-protection -fcf-protection
LDHARDENING = -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack

ifeq ($(WERROR),1)
WARNINGS += -Werror
endif
ifeq ($(SANITIZE),1)
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
HARDENING := $(filter-out -D_FORTIFY_SOURCE=2,$(HARDENING))
# The sanitizers' defaults for the programs and test tools (not the unit
# tests): see tests/sanitize/defaults.c. Never install such a build.
SAN_DEFAULTS = $(B)/tests/sanitize/defaults.o
endif

# Project flags first, the user's CFLAGS after (they may override ours).
ALL_CPPFLAGS = -D_GNU_SOURCE -Ilib -Ihelper -Ilauncher -Itests/tools/common \
	-DTAPGATE_VERSION='"$(VERSION)"' \
	-DTAPGATE_ACL_PATH='"$(ACL_PATH)"' \
	-DTAPGATE_HELPER_PATH='"$(HELPER_PATH)"' \
	-DTAPGATE_OVSDB_SOCK='"$(OVSDB_SOCK)"' \
	$(DEPS_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS  = -std=gnu11 $(WARNINGS) $(HARDENING) $(SANFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(LDHARDENING) $(SANFLAGS) $(LDFLAGS)

B = build

LIB_SRCS      := $(sort $(wildcard lib/*.c))
HELPER_SRCS   := $(sort $(wildcard helper/*.c))
LAUNCHER_SRCS := $(sort $(wildcard launcher/*.c))
UNIT_SRCS     := $(sort $(wildcard tests/unit/test_*.c))
TOOL_SRCS     := $(sort $(wildcard tests/tools/*.c))

LIB_OBJS      := $(LIB_SRCS:%.c=$(B)/%.o)
HELPER_OBJS   := $(filter-out $(B)/helper/main.o,$(HELPER_SRCS:%.c=$(B)/%.o))
LAUNCHER_OBJS := $(filter-out $(B)/launcher/main.o,$(LAUNCHER_SRCS:%.c=$(B)/%.o))
UNIT_BINS     := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/unit/%)
TOOL_BINS     := $(TOOL_SRCS:tests/tools/%.c=$(B)/tests/tools/%)
# Code the test tools share (tests/tools/common/), linked into each.
TOOL_COMMON_OBJS := $(patsubst %.c,$(B)/%.o,$(sort $(wildcard tests/tools/common/*.c)))

PROGS = helper/tapgate-helper launcher/tapgate
MANS  = man/tapgate.1 man/tapgate-helper.8 man/tapgate.conf.5

.PHONY: all tests install uninstall check check-unit deps demo bench fuzz \
	lint cppcheck clang-tidy mandoc clean

all: $(PROGS)

# Rebuild everything when the flags change (SANITIZE=1, WERROR=1, PREFIX=…).
FLAGS_NOW := $(subst ','\'',$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(HELPER_LIBS))
$(B)/flags.stamp: FORCE
	@mkdir -p $(B)
	@echo '$(FLAGS_NOW)' | cmp -s - $@ || echo '$(FLAGS_NOW)' > $@
.PHONY: FORCE

# Keep object files of test programs between runs (make would delete them
# as intermediates: only pattern rules name them).
.SECONDARY: $(UNIT_BINS:%=%.o) $(TOOL_BINS:%=%.o) $(TOOL_COMMON_OBJS)

$(B)/%.o: %.c $(B)/flags.stamp
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

helper/tapgate-helper: $(B)/helper/main.o $(HELPER_OBJS) $(LIB_OBJS) $(SAN_DEFAULTS) $(B)/flags.stamp
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(HELPER_LIBS)

launcher/tapgate: $(B)/launcher/main.o $(LAUNCHER_OBJS) $(LIB_OBJS) $(SAN_DEFAULTS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(DEPS_LIBS)

# Unit tests link straight against the modules they test:
# test_lib_* against lib/, test_helper_* adds helper/, test_launcher_*
# adds launcher/.
$(B)/tests/unit/test_lib_%: $(B)/tests/unit/test_lib_%.o $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(DEPS_LIBS)
$(B)/tests/unit/test_helper_%: $(B)/tests/unit/test_helper_%.o $(HELPER_OBJS) $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(DEPS_LIBS)
$(B)/tests/unit/test_launcher_%: $(B)/tests/unit/test_launcher_%.o $(LAUNCHER_OBJS) $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(DEPS_LIBS)

# Test tools may use the helper's modules (nlprobe uses helper/rtnl.c).
$(B)/tests/tools/%: $(B)/tests/tools/%.o $(TOOL_COMMON_OBJS) $(HELPER_OBJS) $(LIB_OBJS) $(SAN_DEFAULTS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(DEPS_LIBS)

tests: $(PROGS) $(UNIT_BINS) $(TOOL_BINS)

-include $(shell find $(B) -name '*.d' 2>/dev/null)

install: $(PROGS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSCONFDIR)
	install -m 0755 launcher/tapgate $(DESTDIR)$(BINDIR)/tapgate
	@if [ -n "$(SETCAP)" ]; then \
		echo "install -m 0755 helper/tapgate-helper $(DESTDIR)$(HELPER_PATH)"; \
		install -m 0755 helper/tapgate-helper $(DESTDIR)$(HELPER_PATH) && \
		echo "setcap $(SETCAP_CAPS) $(DESTDIR)$(HELPER_PATH)" && \
		setcap $(SETCAP_CAPS) $(DESTDIR)$(HELPER_PATH); \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "install -o root -g root -m $(SUIDMODE) helper/tapgate-helper $(DESTDIR)$(HELPER_PATH)"; \
		install -o root -g root -m $(SUIDMODE) helper/tapgate-helper $(DESTDIR)$(HELPER_PATH); \
	else \
		install -m 0755 helper/tapgate-helper $(DESTDIR)$(HELPER_PATH); \
		echo "NOTE: not root, so $(DESTDIR)$(HELPER_PATH) is installed 0755 and is not privileged yet."; \
		echo "      To finish, as root: chown root:root $(DESTDIR)$(HELPER_PATH) && chmod $(SUIDMODE) $(DESTDIR)$(HELPER_PATH)"; \
		echo "      (or: setcap $(SETCAP_CAPS) $(DESTDIR)$(HELPER_PATH))"; \
	fi
	install -m 0644 man/tapgate.1 $(DESTDIR)$(MANDIR)/man1/tapgate.1
	install -m 0644 man/tapgate.conf.5 $(DESTDIR)$(MANDIR)/man5/tapgate.conf.5
	install -m 0644 man/tapgate-helper.8 $(DESTDIR)$(MANDIR)/man8/tapgate-helper.8
	@if [ -e $(DESTDIR)$(ACL_PATH) ]; then \
		echo "keeping the existing $(DESTDIR)$(ACL_PATH)"; \
	else \
		echo "install -m 0644 etc/tapgate.conf $(DESTDIR)$(ACL_PATH)"; \
		install -m 0644 etc/tapgate.conf $(DESTDIR)$(ACL_PATH); \
	fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tapgate $(DESTDIR)$(HELPER_PATH) \
		$(DESTDIR)$(MANDIR)/man1/tapgate.1 \
		$(DESTDIR)$(MANDIR)/man5/tapgate.conf.5 \
		$(DESTDIR)$(MANDIR)/man8/tapgate-helper.8
	@echo "$(DESTDIR)$(ACL_PATH) is left in place"

# As root, install the Debian packages the build and the tests need first.
deps:
	@if [ "$$(id -u)" = 0 ]; then tests/deps.sh; fi

check: deps
	$(MAKE) tests
	tests/run

check-unit: tests
	TAPGATE_ONLY=unit tests/run

demo: deps
	$(MAKE) all tests
	tests/demo.sh

bench: deps
	$(MAKE) all tests
	tests/bench/run
	tests/bench/sealed.sh
	tests/bench/namehash.sh

mandoc:
	mandoc -T lint -W warning $(MANS)

# --- static analysis (SECURITY.md) -------------------------------------------
# All C code: programs, library, unit tests, test tools, fuzz targets.
# Configuration and every exception, with its reason: .clang-tidy,
# tests/unit/.clang-tidy, tests/lint/cppcheck.cfg and
# tests/lint/cppcheck-suppressions.
CPPCHECK   ?= cppcheck
CLANG_TIDY ?= clang-tidy
LINT_SRCS   = $(LIB_SRCS) $(HELPER_SRCS) $(LAUNCHER_SRCS) $(UNIT_SRCS) \
	      $(TOOL_SRCS) $(sort $(wildcard tests/tools/common/*.c tests/fuzz/*.c tests/sanitize/*.c))
LINT_CPPFLAGS = -D_GNU_SOURCE -Ilib -Ihelper -Ilauncher -Itests/tools/common \
	-DTAPGATE_VERSION='"$(VERSION)"' -DTAPGATE_ACL_PATH='"$(ACL_PATH)"' \
	-DTAPGATE_HELPER_PATH='"$(HELPER_PATH)"' \
	-DTAPGATE_OVSDB_SOCK='"$(OVSDB_SOCK)"' $(DEPS_CFLAGS)

lint: cppcheck clang-tidy mandoc

cppcheck:
	$(CPPCHECK) --quiet --error-exitcode=1 --std=c11 \
		--enable=warning,style,performance,portability --inline-suppr \
		--library=tests/lint/cppcheck.cfg \
		--suppressions-list=tests/lint/cppcheck-suppressions \
		$(LINT_CPPFLAGS) $(LINT_SRCS)

# One file per run (make -j runs them in parallel): clang-tidy 14, given
# several files at once, reports every va_list after the first file as
# uninitialized.
clang-tidy: $(LINT_SRCS:%.c=$(B)/lint/%.tidy)
$(B)/lint/%.tidy: %.c FORCE
	@mkdir -p $(@D)
	@$(CLANG_TIDY) --quiet $< -- $(LINT_CPPFLAGS) -std=gnu11 > $@.out 2>&1; \
	 rc=$$?; grep -v '^[0-9]* warnings* generated\.$$' $@.out >&2; exit $$rc

# --- fuzzing (tests/fuzz/, SECURITY.md) ---------------------------------------
# libFuzzer targets, built with clang in their own directory; each runs
# FUZZ_SECONDS from its seed corpus. fuzz_acl links with --wrap so that
# the parser's include and user/group lookups cannot reach the machine.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_B        = $(B)/fuzz
FUZZ_FLAGS    = -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CPPFLAGS = -D_GNU_SOURCE -Ilib -Ihelper
FUZZ_BINS     = $(FUZZ_B)/fuzz_acl $(FUZZ_B)/fuzz_args $(FUZZ_B)/fuzz_ovsdb

$(FUZZ_B)/fuzz_acl: tests/fuzz/fuzz_acl.c helper/acl.c helper/acl_file.c \
		    helper/acl_parse.c helper/strtab.c lib/array.c lib/parse.c \
		    lib/quote.c helper/acl.h helper/acl_private.h helper/strtab.h \
		    lib/array.h lib/parse.h lib/quote.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_FLAGS) -o $@ $(filter %.c,$^) \
		-Wl,--wrap=open,--wrap=openat,--wrap=getpwnam,--wrap=getgrnam
$(FUZZ_B)/fuzz_args: tests/fuzz/fuzz_args.c helper/args.c lib/parse.c \
		     lib/log.c lib/mac.c lib/quote.c helper/args.h lib/parse.h \
		     lib/log.h lib/mac.h lib/quote.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_FLAGS) -o $@ $(filter %.c,$^)

$(FUZZ_B)/fuzz_ovsdb: tests/fuzz/fuzz_ovsdb.c helper/ovsdb.c helper/ovs.c \
		      lib/parse.c helper/ovsdb.h helper/ovs.h lib/parse.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(DEPS_CFLAGS) $(FUZZ_FLAGS) -o $@ \
		$(filter %.c,$^) $(JANSSON_LIBS)

fuzz: $(FUZZ_BINS)
	tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_B)

clean:
	rm -rf $(B) $(PROGS)
