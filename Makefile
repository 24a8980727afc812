# LifeTimeCircle Service Heft: libltc.a, one CGI per route group, ltcctl.
#
#   make              build everything
#   make run          build, create/migrate a dev database, serve on 127.0.0.1:$(PORT)
#   make test         build and run the whole test suite (prove)
#   make check-asan   the suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make fuzz         run every libFuzzer harness for $(FUZZ_SECONDS) s
#   make bench        throughput/latency/RSS figures (wrk, /usr/bin/time)
#   make soak         the contention load test at 60 s per phase (t/94-load.t)
#   make install      PREFIX=/srv/ltc DESTDIR= CGI_SUFFIX=
#   make deps         install the Debian packages of the tests (root) or print
#                     the command; make deps-run only what building and running need

CC        ?= cc
PREFIX    ?= /srv/ltc
DESTDIR   ?=
CGI_SUFFIX ?=
CONF_PATH ?= /etc/ltc/ltc.conf
PORT      ?= 8080
DATA      ?= $(CURDIR)/var
FUZZ_SECONDS ?= 60
STATIC    ?= 0
BUILD     ?= build

SCHEMA_FILES   := $(sort $(wildcard schema/[0-9][0-9][0-9][0-9]_*.sql))
SCHEMA_VERSION := $(shell ls schema/[0-9][0-9][0-9][0-9]_*.sql 2>/dev/null | sed 's|.*/0*\([0-9][0-9]*\)_.*|\1|' | sort -n | tail -1)
VERSION        := 4.0.0

PKG_CONFIG ?= pkg-config
PKGS := sqlite3 libcrypto jansson libmagic libqrencode
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
# libscrypt ships no .pc file; Debian has no static libqrencode.
ifeq ($(STATIC),1)
LDLIBS_ALL := -Wl,--as-needed -Wl,-Bstatic -lsqlite3 -ljansson -lscrypt -lmagic -lz -lbz2 -llzma -lzstd -lcrypto -Wl,-Bdynamic -lqrencode -lm -lpthread -ldl
else
# Linking the libraries that allow it statically saves the dynamic loader
# ~0.4 ms per request for libsqlite3 alone; static libcrypto cut a health
# request from 3.1M to 0.57M instructions and 265 to 152 page faults
# (measured). libmagic (with its compression libraries) and libqrencode
# (no static archive in Debian) stay shared and load only where used.
LDLIBS_ALL := -Wl,--as-needed -Wl,-Bstatic -lsqlite3 -ljansson -lscrypt -lcrypto -Wl,-Bdynamic -lqrencode -lmagic -lm -lpthread -ldl
endif

WARN    := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers
# The HTML writer's formats are literals the compiler checks (html.h).
WARN    += -Wformat-nonliteral -Wformat-security
OPT     ?= -O2 -g
SAN     ?=
# Position-dependent executables: no start-up relocation of the static
# libraries' tables (measured: 567k vs 811k instructions per health request).
CFLAGS  += -std=c11 -D_GNU_SOURCE -fno-pie $(OPT) $(WARN) $(SAN) $(PKG_CFLAGS) \
	   -DLTC_SCHEMA_VERSION=$(SCHEMA_VERSION) -DLTC_VERSION='"$(VERSION)"' \
	   -DLTC_CONF_PATH='"$(CONF_PATH)"' -Ilib
LDFLAGS += -no-pie $(SAN)

LIB_SRC := $(sort $(wildcard lib/*/*.c))
LIB_HDR := $(wildcard lib/*/*.h)
LIB_OBJ := $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
CGI_SRC := $(sort $(wildcard cgi-bin/*.c))
CGIS    := $(CGI_SRC:cgi-bin/%.c=$(BUILD)/cgi-bin/%)
UNIT_SRC := $(sort $(wildcard t/unit/*.c))
UNITS   := $(UNIT_SRC:t/unit/%.c=$(BUILD)/t/%.t)
LIBLTC  := $(BUILD)/libltc.a

.PHONY: all run test check check-asan check-layers fuzz bench install clean deps deps-run \
	build-deps units
all: $(LIBLTC) $(CGIS) $(BUILD)/bin/ltcctl $(UNITS)

# Without the development packages, say which command installs them
# instead of failing in the compiler.
build-deps:
	@PKG_CONFIG='$(PKG_CONFIG)' CC='$(CC)' sh bin/deps.sh check

$(BUILD)/lib/%.o: lib/%.c $(LIB_HDR) Makefile | build-deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIBLTC): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/cgi-bin/%: cgi-bin/%.c $(LIBLTC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBLTC) $(LDLIBS_ALL)

# cgi-bin/shared/: code linked into several CGIs, never a program itself.
$(BUILD)/shared/%.o: cgi-bin/shared/%.c cgi-bin/shared/%.h $(LIB_HDR) Makefile
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# sale and transfer: one implementation of the handover routes.
$(BUILD)/cgi-bin/sale $(BUILD)/cgi-bin/transfer: $(BUILD)/shared/transfer_routes.o
# blog and news: the public read of the published articles.
$(BUILD)/cgi-bin/blog $(BUILD)/cgi-bin/news: $(BUILD)/shared/published.o

$(BUILD)/cgi-bin/sale $(BUILD)/cgi-bin/transfer $(BUILD)/cgi-bin/blog $(BUILD)/cgi-bin/news: $(BUILD)/cgi-bin/%: cgi-bin/%.c $(LIBLTC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(filter $(BUILD)/shared/%.o,$^) $(LIBLTC) $(LDLIBS_ALL)

# Migrations are embedded in ltcctl so an install needs no schema/ files.
$(BUILD)/bin/migrations.c: $(SCHEMA_FILES) bin/embed-schema.sh
	@mkdir -p $(@D)
	sh bin/embed-schema.sh $(SCHEMA_FILES) > $@

CTL_SRC := $(sort $(wildcard bin/ltcctl*.c))
$(BUILD)/bin/ltcctl: $(CTL_SRC) bin/ltcctl.h $(BUILD)/bin/migrations.c $(LIBLTC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ibin $(LDFLAGS) -o $@ $(CTL_SRC) $(BUILD)/bin/migrations.c $(LIBLTC) $(LDLIBS_ALL)

$(BUILD)/t/%.t: t/unit/%.c $(LIBLTC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBLTC) $(LDLIBS_ALL)

# The document root: htdocs/ with each htdocs/src/*.html body in the
# layout of lib/http/page.c (bin/gen-htdocs.sh); served from $(BUILD)/htdocs.
all: $(BUILD)/htdocs.stamp
HTDOCS_SRC := $(shell find htdocs -type f)
$(BUILD)/bin/mkpage: bin/mkpage.c $(LIBLTC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBLTC) $(LDLIBS_ALL)
# The API description is served as /api/openapi.yaml: a static file the
# server configs map to htdocs/openapi.yaml.
$(BUILD)/htdocs.stamp: $(HTDOCS_SRC) bin/gen-htdocs.sh $(BUILD)/bin/mkpage docs/openapi.yaml
	sh bin/gen-htdocs.sh $(BUILD)/bin/mkpage htdocs $(BUILD)/htdocs
	cp docs/openapi.yaml $(BUILD)/htdocs/openapi.yaml
	@touch $@

# docs/openapi.yaml and htdocs/src/api.html from docs/openapi/*.yaml
# (committed; t/92-openapi.t checks they are up to date).
.PHONY: openapi
openapi:
	@perl bin/gen-openapi .

# The include direction of lib/ (README "Layout").
check-layers:
	@sh bin/check-layers.sh .

# Page code writes HTML only through html_printf() with literal formats.
.PHONY: check-html
check-html:
	@sh bin/check-html.sh .
test: check-html check-layers

deps:
	@sh bin/deps.sh test

deps-run:
	@sh bin/deps.sh run

# Packages first, then the build: not side by side under make -j.
run: deps-run
	@$(MAKE) --no-print-directory all
	@sh bin/devserver.sh $(PORT) $(DATA)

# Every JSON answer the suite sees is recorded and then checked against
# the documented response schemas (t/doc/validate.mjs).
ANSWERS := $(CURDIR)/$(BUILD)/answers.jsonl
test: deps
	@$(MAKE) --no-print-directory all
	@rm -f $(ANSWERS)
	RECORD_API_ANSWERS=$(ANSWERS) LTC_BUILD=$(CURDIR)/$(BUILD) prove -j2 -r --timer t/
	@cd t/doc && { [ -f node_modules/ajv/package.json ] || npm ci --no-audit --no-fund --loglevel=error; }
	node t/doc/validate.mjs docs/openapi.yaml $(ANSWERS)

check: test

check-asan:
	$(MAKE) deps
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" all
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	LTC_BUILD=$(CURDIR)/build-asan LTC_ASAN=1 prove -j2 -r --timer t/

FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZERS  := $(FUZZ_SRC:fuzz/%.c=build-fuzz/%)
# The harnesses link an instrumented copy of the whole library, so a
# parser can move between files without a change here.
FUZZ_LIB := $(LIB_SRC)
FUZZ_OBJ := $(FUZZ_LIB:lib/%.c=build-fuzz/lib/%.o)
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 $(PKG_CFLAGS) -Ilib \
	   -DLTC_SCHEMA_VERSION=$(SCHEMA_VERSION) -DLTC_VERSION='"$(VERSION)"' \
	   -DLTC_CONF_PATH='"$(CONF_PATH)"'
FUZZ_LDLIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lscrypt -lm

build-fuzz/lib/%.o: lib/%.c $(LIB_HDR) Makefile | build-deps
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

build-fuzz/libltc.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

build-fuzz/fuzz_%: fuzz/fuzz_%.c build-fuzz/libltc.a
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< \
	    build-fuzz/libltc.a $(FUZZ_LDLIBS)

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZERS)
	@for f in $(FUZZERS); do \
	    n=$$(basename $$f); c=fuzz/corpus/$${n#fuzz_}; mkdir -p build-fuzz/corpus-$$n; \
	    echo "== $$n ($(FUZZ_SECONDS) s)"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 build-fuzz/corpus-$$n $$c || exit 1; \
	done

bench: deps
	@$(MAKE) --no-print-directory all
	@sh bench/run.sh $(CURDIR)/$(BUILD)

# The load test at full length: 60 s per phase (make test runs it short).
.PHONY: soak
soak: deps
	@$(MAKE) --no-print-directory all
	SOAK_SECONDS=60 LTC_BUILD=$(CURDIR)/$(BUILD) prove -v t/94-load.t

install: all
	install -d -m 0755 $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/cgi-bin \
	    $(DESTDIR)$(PREFIX)/htdocs $(DESTDIR)$(PREFIX)/conf $(DESTDIR)$(PREFIX)/schema
	install -m 0755 $(BUILD)/bin/ltcctl $(DESTDIR)$(PREFIX)/bin/ltcctl
	for c in $(CGIS); do install -m 0755 $$c $(DESTDIR)$(PREFIX)/cgi-bin/$$(basename $$c)$(CGI_SUFFIX); done
	cp -R $(BUILD)/htdocs/. $(DESTDIR)$(PREFIX)/htdocs/
	install -m 0644 $(SCHEMA_FILES) $(DESTDIR)$(PREFIX)/schema/
	install -m 0644 conf/ltc.conf.example conf/lighttpd.conf conf/apache-vhost.conf $(DESTDIR)$(PREFIX)/conf/
	install -d -m 0755 $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 0644 docs/man/ltc.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/ltc.conf.5
	install -m 0644 docs/man/ltcctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/ltcctl.8

clean:
	rm -rf build build-asan build-fuzz
