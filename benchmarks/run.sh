#!/usr/bin/env bash
# Runs the benchmarks of dyvms-go, the official SDK and the floor against
# the same fake server, compares them with benchstat, measures dependency
# counts and one-call binary sizes, and writes the results into README.md.
#
#   ./run.sh                      # COUNT=10 runs of BENCHTIME=0.5s each
#   COUNT=5 BENCHTIME=0.2s ./run.sh
#
# The runs are interleaved (COUNT passes over every benchmark, -count=1 each)
# so that drift in the machine's load spreads over all contenders alike.
set -euo pipefail
cd "$(dirname "$0")"
# The official SDK honours HTTP_PROXY even for loopback addresses.
unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy ALL_PROXY all_proxy NO_PROXY no_proxy
COUNT=${COUNT:-10}
BENCHTIME=${BENCHTIME:-0.5s}
BENCHSTAT=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
out=results
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

echo "== build"
go test -c -o "$tmp/bench.test" .
for p in bare-one dyvms-one official-one; do
  go build -trimpath -ldflags="-s -w" -o "$tmp/$p" "./cmd/$p"
done

echo "== tests: every contender passes the fake server's signature check"
"$tmp/bench.test" -test.run=. -test.count=1

echo "== one-call programs against the fake server"
coproc FAKE { DYVMS_BENCH_FAKE_SERVER=1 exec "$tmp/bench.test" -test.run='^$'; }
read -r url <&"${FAKE[0]}"
for p in bare-one dyvms-one official-one; do
  printf '%-13s ' "$p"
  ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tBenchmarkKeyID ALIBABA_CLOUD_ACCESS_KEY_SECRET=BenchmarkSecret0123456789abcd \
    "$tmp/$p" "$url"
done
exec {FAKE[1]}>&- # the fake exits when its standard input closes
wait

echo "== sizes and dependencies"
: >"$out/sizes.txt"
for p in bare-one dyvms-one official-one; do
  echo "$p $(stat -c %s "$tmp/$p") $(go list -deps "./cmd/$p" | wc -l) \
$(go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' "./cmd/$p" | grep -c .)" >>"$out/sizes.txt"
done
cat "$out/sizes.txt"

echo "== benchmarks: $COUNT × $BENCHTIME, load average $(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo "# $(go version), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  for i in $(seq "$COUNT"); do
    echo "pass $i/$COUNT" >&2
    "$tmp/bench.test" -test.run='^$' -test.bench=. -test.benchmem -test.benchtime="$BENCHTIME" -test.count=1
  done
} >"$out/bench.txt"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== benchstat"
go run "$BENCHSTAT" -col '/impl@(floor dyvms official)' "$out/bench.txt" >"$out/benchstat-vs-floor.txt"
go run "$BENCHSTAT" -col '/impl@(official dyvms)' "$out/bench.txt" >"$out/benchstat-vs-official.txt"

echo "== table"
go run ./cmd/report "$out/bench.txt" "$out/sizes.txt" >"$out/table.md"
{
  echo "Measured with \`./run.sh\` (COUNT=$COUNT, BENCHTIME=$BENCHTIME) on $(go version | cut -d' ' -f3-), $(nproc) cores,"
  echo "load average $(sed -n '1s/.*before: //p' "$out/bench.txt") before and $load_after after."
  echo
  cat "$out/table.md"
} >"$tmp/section.md"
awk -v f="$tmp/section.md" '
  /<!-- results:begin -->/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
  /<!-- results:end -->/ { skip = 0 }
  !skip' README.md >"$tmp/README.md"
cp "$tmp/README.md" README.md
cat "$out/table.md"
