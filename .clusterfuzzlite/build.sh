#!/bin/bash -eu
# SPDX-License-Identifier: MIT
# ClusterFuzzLite / OSS-Fuzz build script (tools/fuzz/README.md). The service sets CC, CFLAGS
# (its sanitizer and coverage flags), LIB_FUZZING_ENGINE, SRC and OUT; this builds the
# harnesses of tools/fuzz with them, libyaml and zlib linked statically (the runner image has
# neither), and puts next to each binary its seed corpus, dictionary and options.
cd "$SRC/cxlemu"
build=$WORK/cxlemu-build
rm -rf "$build"
harnesses="fuzz_ops fuzz_trace_yaml fuzz_trace_binary fuzz_import_qemu_log fuzz_import_qtest fuzz_import_mmiotrace"
meson setup "$build" -Dfuzzing=true -Dfuzz_engine="$LIB_FUZZING_ENGINE" -Dtests=disabled \
	-Dprefer_static=true -Db_lundef=false -Dbuildtype=plain \
	-Dc_args="$CFLAGS" -Dc_link_args="$CFLAGS"
# only the harnesses: they link the static libcxlemu (the shared one cannot take libyaml.a)
targets=()
for h in $harnesses; do targets+=("tools/fuzz/$h"); done
meson compile -C "$build" "${targets[@]}"
for h in $harnesses; do
	cp "$build/tools/fuzz/$h" "$OUT/"
	(cd "tools/fuzz/corpus/$h" && zip -q -j "$OUT/${h}_seed_corpus.zip" ./*)
	cp "tools/fuzz/dict/$h.dict" "$OUT/$h.dict"
	max_len=8192
	[ "$h" = fuzz_ops ] && max_len=512
	printf '[libfuzzer]\nmax_len = %s\n' "$max_len" > "$OUT/$h.options"
done
