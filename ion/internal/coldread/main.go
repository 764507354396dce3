// Command coldread measures ion.Read in fresh processes, side by side with
// the Ion library's plain walk of the same file: the "cold" figures (a
// program that starts, reads a result file and exits pays for every page
// of its result, which a benchmark loop reusing memory does not).
//
//	go run ./ion/internal/coldread -rounds 5 -procs 1,2 ion/testdata/bench/rows.ion
//
// Each round runs, per GOMAXPROCS value, one child process per reader
// (walk, Read, ReadFile into a struct) in turn, and reports each one's
// read time (startup excluded) and peak resident memory (getrusage).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kestra-go/kestra-go/ion"
	"github.com/kestra-go/kestra-go/ion/internal/benchdata"
)

var modes = []string{"walk", "read", "struct"}

func main() {
	rounds := flag.Int("rounds", 3, "rounds")
	procs := flag.String("procs", "1,2", "GOMAXPROCS values")
	child := flag.String("child", "", "run one reader (walk, read, struct) in this process")
	cpuprofile := flag.String("cpuprofile", "", "with -child: write a CPU profile")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: coldread [-rounds n] [-procs 1,2] file.ion")
		os.Exit(2)
	}
	path := flag.Arg(0)
	if *child != "" {
		if *cpuprofile != "" {
			f, err := os.Create(*cpuprofile)
			if err == nil {
				_ = pprof.StartCPUProfile(f)
				defer pprof.StopCPUProfile()
			}
		}
		if err := runChild(*child, path); err != nil {
			fmt.Fprintln(os.Stderr, "coldread:", err)
			pprof.StopCPUProfile()
			os.Exit(1)
		}
		return
	}
	if err := run(path, *rounds, *procs); err != nil {
		fmt.Fprintln(os.Stderr, "coldread:", err)
		os.Exit(1)
	}
}

func runChild(mode, path string) error {
	t0 := time.Now()
	n := 0
	switch mode {
	case "walk":
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if n, err = benchdata.LibraryWalk(f); err != nil {
			return err
		}
	case "read":
		rows, err := ion.Read(path)
		if err != nil {
			return err
		}
		n = len(rows)
	case "struct":
		rows, err := ion.ReadFile[benchdata.Row](path)
		if err != nil {
			return err
		}
		n = len(rows)
	default:
		return fmt.Errorf("unknown mode %q", mode)
	}
	fmt.Println(time.Since(t0).Nanoseconds(), n)
	return nil
}

type sample struct {
	secs  float64 // wall time of the read
	cpu   float64 // CPU time of the whole child (user + system)
	rssMB float64
}

func run(path string, rounds int, procsList string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	sizeMB := float64(fi.Size()) / 1e6
	fmt.Printf("cold reads of %s (%.1f MB), %d rounds, fresh process each\n", path, sizeMB, rounds)
	for _, p := range strings.Split(procsList, ",") {
		res := map[string][]sample{}
		var ratios, structRatios, cpuRatios, cpuStructRatios []float64
		for range rounds {
			got := map[string]sample{}
			for _, mode := range modes {
				cmd := exec.Command(exe, "-child", mode, path)
				cmd.Env = append(os.Environ(), "GOMAXPROCS="+p)
				cmd.Stderr = os.Stderr
				out, err := cmd.Output()
				if err != nil {
					return fmt.Errorf("%s: %w", mode, err)
				}
				ns, err := strconv.ParseInt(strings.Fields(string(out))[0], 10, 64)
				if err != nil {
					return err
				}
				rss, cpu := 0.0, 0.0
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					rss = float64(ru.Maxrss) * 1024 / 1e6
					cpu = time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime)).Seconds()
				}
				got[mode] = sample{float64(ns) / 1e9, cpu, rss}
				res[mode] = append(res[mode], got[mode])
			}
			ratios = append(ratios, got["walk"].secs/got["read"].secs)
			structRatios = append(structRatios, got["walk"].secs/got["struct"].secs)
			cpuRatios = append(cpuRatios, got["walk"].cpu/got["read"].cpu)
			cpuStructRatios = append(cpuStructRatios, got["walk"].cpu/got["struct"].cpu)
		}
		fmt.Printf("GOMAXPROCS=%s\n", p)
		for _, mode := range modes {
			var mbs, cpus, rss []float64
			for _, s := range res[mode] {
				mbs = append(mbs, sizeMB/s.secs)
				cpus = append(cpus, s.cpu)
				rss = append(rss, s.rssMB)
			}
			fmt.Printf("  %-6s %s MB/s wall, %s s CPU (process), peak RSS %s MB (%s x the file)\n",
				mode, span(mbs, 0), span(cpus, 2), span(rss, 0), span(scale(rss, 1/sizeMB), 2))
		}
		fmt.Printf("  speed vs the library walk, wall time: Read %sx, ReadFile[struct] %sx\n", span(ratios, 2), span(structRatios, 2))
		fmt.Printf("  speed vs the library walk, CPU time:  Read %sx, ReadFile[struct] %sx\n", span(cpuRatios, 2), span(cpuStructRatios, 2))
	}
	return nil
}

func scale(v []float64, k float64) []float64 {
	out := make([]float64, len(v))
	for i := range v {
		out[i] = v[i] * k
	}
	return out
}

// span formats the range of v, and its median when there are more than two
// samples (the collector's schedule spreads single runs).
func span(v []float64, prec int) string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', prec, 64) }
	lo, hi := slices.Min(v), slices.Max(v)
	if f(lo) == f(hi) {
		return f(lo)
	}
	out := f(lo) + "-" + f(hi)
	if len(v) > 2 {
		s := slices.Sorted(slices.Values(v))
		med := s[len(s)/2]
		if len(s)%2 == 0 {
			med = (s[len(s)/2-1] + s[len(s)/2]) / 2
		}
		out += " (median " + f(med) + ")"
	}
	return out
}
