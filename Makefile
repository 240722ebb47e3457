# natlog - hand-written Makefile. `make` builds ./natlog, `make check` runs
# every test, `make check-asan` runs them under ASan+UBSan, `make lab`
# re-records the real-kernel test data (root), `make demo` explains the
# bundled sample.

CC      ?= cc
PKGS    := libpcre2-8 sqlite3 jansson libarchive libcrypto libpcap
CFLAGS  ?= -O2 -g
NL_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wformat=2 -Wno-format-nonliteral \
           -Wstrict-prototypes -Wmissing-prototypes -Isrc -Iparsers \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
NL_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
BUILD   ?= build
BIN     ?= natlog

LIB_SRC := $(wildcard src/*.c) $(wildcard parsers/*.c)
LIB_SRC := $(filter-out src/main.c,$(LIB_SRC))
LIB_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC)) $(BUILD)/schema.o
SCHEMA  := $(sort $(wildcard schema/*.sql))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

all: $(BIN)

$(BIN): $(BUILD)/src/main.o $(BUILD)/libnatlog.a
	$(CC) $(CFLAGS) $(NL_CFLAGS) $(LDFLAGS) -o $@ $^ $(NL_LIBS) $(LDLIBS)

$(BUILD)/libnatlog.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c src/natlog.h $(wildcard src/*.h) parsers/parser.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(NL_CFLAGS) -c -o $@ $<

# The schema files become one C array; they stay the only definition.
$(BUILD)/schema.c: $(SCHEMA) tests/embed-schema.sh
	@mkdir -p $(BUILD)
	sh tests/embed-schema.sh $(SCHEMA) > $@

$(BUILD)/schema.o: $(BUILD)/schema.c
	$(CC) $(CFLAGS) $(NL_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/libnatlog.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(NL_CFLAGS) $(LDFLAGS) -Itests/unit -o $@ $< $(BUILD)/libnatlog.a $(NL_LIBS) $(LDLIBS)

unit: $(UNIT_BIN)

check: $(BIN) unit
	BUILD=$(BUILD) NATLOG=$(CURDIR)/$(BIN) sh tests/run.sh

# The whole suite again under AddressSanitizer (with LeakSanitizer) and UBSan.
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
check-asan:
	$(MAKE) BUILD=build-asan BIN=natlog-asan CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" check

demo: natlog
	sh tests/demo.sh

lab:
	bash tests/lab/record-all.sh testdata/lab

PREFIX  ?= /usr/local
DESTDIR ?=
install:
	@test -x $(BIN) || { echo "run make first"; exit 1; }
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/natlog
	install -m 644 doc/natlog.1 $(DESTDIR)$(PREFIX)/share/man/man1/natlog.1
	install -m 644 completion/natlog.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/natlog

clean:
	rm -rf build build-asan natlog natlog-asan

.PHONY: all unit check check-asan demo lab clean install
