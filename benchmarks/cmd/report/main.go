// Command report turns the output of the benchmarks (go test -bench
// format, several runs) and run.sh's size file into README.md's results
// table: the median of each metric, dyvms-go's ratio to the floor and the
// official SDK's ratio to dyvms-go, and whether each target is met.
//
//	go run ./cmd/report results/bench.txt results/sizes.txt
package main

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// samples[benchmark without impl][impl][unit] = values
var samples = map[string]map[string]map[string][]float64{}
var order []string

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: report BENCH.txt SIZES.txt")
		os.Exit(2)
	}
	readBench(os.Args[1])
	var b strings.Builder
	targets := []string{}
	check := func(ok bool, what string) {
		mark := "met"
		if !ok {
			mark = "**missed**"
		}
		targets = append(targets, fmt.Sprintf("| %s | %s |", what, mark))
	}

	fmt.Fprintln(&b, "Medians; ratios are of the medians. Lower is better everywhere. `dyvms÷floor` is dyvms-go's cost relative to the floor; `official÷dyvms` is how many times more the official SDK costs than dyvms-go.")
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "| benchmark | metric | floor | dyvms-go | official | dyvms÷floor | official÷dyvms |")
	fmt.Fprintln(&b, "| --- | --- | ---: | ---: | ---: | ---: | ---: |")
	for _, name := range order {
		impls := samples[name]
		units := []string{"ns/op", "cpu-ns/op", "conns/1kcalls", "B/op", "allocs/op"}
		for _, u := range units {
			f, d, o := median(impls["floor"][u]), median(impls["dyvms"][u]), median(impls["official"][u])
			if d == 0 && f == 0 && o == 0 {
				continue
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", name, u, num(f), num(d), num(o), ratio(d, f), ratio(o, d))
			switch {
			case strings.HasPrefix(name, "SingleCallByTts") && u == "ns/op":
				check(d <= 1.15*f, fmt.Sprintf("%s: ns/op ≤ 1.15× floor (%s)", name, ratio(d, f)))
				check(o >= 2*d, fmt.Sprintf("%s: ns/op ≥ 2× fewer than official (%s)", name, ratio(o, d)))
			case strings.HasPrefix(name, "SingleCallByTts") && u == "cpu-ns/op":
				check(d <= 1.15*f, fmt.Sprintf("%s: client CPU ns/op ≤ 1.15× floor (%s)", name, ratio(d, f)))
				check(o >= 2*d, fmt.Sprintf("%s: client CPU ns/op ≥ 2× fewer than official (%s)", name, ratio(o, d)))
			case strings.HasPrefix(name, "SingleCallByTts") && u == "allocs/op":
				check(d <= 1.5*f, fmt.Sprintf("%s: allocs/op ≤ 1.5× floor (%s)", name, ratio(d, f)))
				check(o >= 3*d, fmt.Sprintf("%s: allocs/op ≥ 3× fewer than official (%s)", name, ratio(o, d)))
			case strings.HasPrefix(name, "FanOut") && u == "conns/1kcalls":
				check(d <= f+1, fmt.Sprintf("%s: TLS connections per 1000 calls no more than the floor's (%s vs %s)", name, num(d), num(f)))
			case strings.HasPrefix(name, "FanOut") && u == "ns/op":
				check(o >= 2*d, fmt.Sprintf("%s: ns/op ≥ 2× fewer than official (%s)", name, ratio(o, d)))
			case strings.HasPrefix(name, "Sign") && u == "ns/op":
				check(d <= 1.5*f, fmt.Sprintf("%s: ns/op ≤ 1.5× reference signer (%s)", name, ratio(d, f)))
			}
		}
	}

	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "One-call programs (`cmd/*-one`, `go build -trimpath -ldflags=\"-s -w\"`) and their dependencies (`go list -deps`: all packages, and those outside the standard library):")
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "| program | binary bytes | ÷ bare | packages | non-std packages |")
	fmt.Fprintln(&b, "| --- | ---: | ---: | ---: | ---: |")
	sizes := readSizes(os.Args[2])
	bareSize := sizes["bare-one"][0]
	for _, p := range []string{"bare-one", "dyvms-one", "official-one"} {
		s := sizes[p]
		fmt.Fprintf(&b, "| %s | %d | %s | %d | %d |\n", p, int64(s[0]), ratio(s[0], bareSize), int64(s[1]), int64(s[2]))
	}
	check(sizes["dyvms-one"][0] <= 1.05*bareSize, fmt.Sprintf("one-call binary ≤ 1.05× bare (%s)", ratio(sizes["dyvms-one"][0], bareSize)))

	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "| target | result |")
	fmt.Fprintln(&b, "| --- | --- |")
	for _, t := range targets {
		fmt.Fprintln(&b, t)
	}
	fmt.Print(b.String())
}

func readBench(path string) {
	f, err := os.Open(path)
	if err != nil {
		fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		full := strings.TrimPrefix(fields[0], "Benchmark")
		if i := strings.LastIndexByte(full, '-'); i > 0 {
			full = full[:i] // the GOMAXPROCS suffix
		}
		i := strings.Index(full, "/impl=")
		if i < 0 {
			continue
		}
		name, impl := full[:i], full[i+len("/impl="):]
		if samples[name] == nil {
			samples[name] = map[string]map[string][]float64{}
			order = append(order, name)
		}
		if samples[name][impl] == nil {
			samples[name][impl] = map[string][]float64{}
		}
		for j := 2; j+1 < len(fields); j += 2 {
			v, err := strconv.ParseFloat(fields[j], 64)
			if err != nil {
				continue
			}
			samples[name][impl][fields[j+1]] = append(samples[name][impl][fields[j+1]], v)
		}
	}
	if err := sc.Err(); err != nil {
		fatal(err)
	}
}

// readSizes reads lines "program bytes packages non-std-packages".
func readSizes(path string) map[string][3]float64 {
	data, err := os.ReadFile(path)
	if err != nil {
		fatal(err)
	}
	out := map[string][3]float64{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(line)
		if len(f) != 4 {
			continue
		}
		var v [3]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(f[i+1], 64)
		}
		out[f[0]] = v
	}
	return out
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func num(x float64) string {
	switch {
	case x == 0:
		return "0"
	case x >= 100:
		return strconv.FormatFloat(x, 'f', 0, 64)
	default:
		return strconv.FormatFloat(x, 'g', 3, 64)
	}
}

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return strconv.FormatFloat(a/b, 'f', 2, 64) + "×"
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "report:", err)
	os.Exit(1)
}
