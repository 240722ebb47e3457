# natlog - hand-written Makefile. `make` builds ./natlog, `make check` runs
# every test, `make check-asan` runs them under ASan+UBSan, `make lab`
# re-records the real-kernel test data (root), `make demo` explains the
# bundled sample.

CC      ?= cc
PKGS    := libpcre2-8 sqlite3 jansson
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wformat=2 -Wno-format-nonliteral \
           -Wstrict-prototypes -Wmissing-prototypes -Isrc -Iparsers \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null)
BUILD   ?= build

LIB_SRC := $(wildcard src/*.c) $(wildcard parsers/*.c)
LIB_SRC := $(filter-out src/main.c,$(LIB_SRC))
LIB_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC)) $(BUILD)/schema.o
SCHEMA  := $(sort $(wildcard schema/*.sql))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

all: natlog

natlog: $(BUILD)/src/main.o $(BUILD)/libnatlog.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libnatlog.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c src/natlog.h $(wildcard src/*.h) parsers/parser.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# The schema files become one C array; they stay the only definition.
$(BUILD)/schema.c: $(SCHEMA) tests/embed-schema.sh
	@mkdir -p $(BUILD)
	sh tests/embed-schema.sh $(SCHEMA) > $@

$(BUILD)/schema.o: $(BUILD)/schema.c
	$(CC) $(CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/libnatlog.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libnatlog.a $(LDLIBS)

unit: $(UNIT_BIN)

check: natlog unit
	sh tests/run.sh

check-asan:
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" natlog unit
	cp build-asan/../natlog natlog-asan 2>/dev/null || true

demo: natlog
	sh tests/demo.sh

lab:
	bash tests/lab/record-all.sh testdata/lab

clean:
	rm -rf build build-asan natlog natlog-asan

.PHONY: all unit check check-asan demo lab clean
