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
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kestra-go/kestra-go/ion"
	"github.com/kestra-go/kestra-go/ion/internal/benchdata"
)

// row is the benchmark file's row shape, for ReadFile into a struct.
type row struct {
	ID            int64     `ion:"id"`
	EmployeeID    int64     `ion:"employee_id"`
	FirstName     string    `ion:"first_name"`
	LastName      string    `ion:"last_name"`
	Email         string    `ion:"email"`
	PhoneNumber   string    `ion:"phone_number"`
	HireDate      time.Time `ion:"hire_date"`
	JobID         string    `ion:"job_id"`
	Salary        float64   `ion:"salary"`
	CommissionPct *float64  `ion:"commission_pct"`
	ManagerID     *int64    `ion:"manager_id"`
	DepartmentID  int64     `ion:"department_id"`
	Active        bool      `ion:"active"`
	CreatedAt     time.Time `ion:"created_at"`
	UpdatedAt     time.Time `ion:"updated_at"`
	Comment       string    `ion:"comment"`
	Details       any       `ion:"details"`
}

var modes = []string{"walk", "read", "struct"}

func main() {
	rounds := flag.Int("rounds", 3, "rounds")
	procs := flag.String("procs", "1,2", "GOMAXPROCS values")
	child := flag.String("child", "", "internal: run one reader")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: coldread [-rounds n] [-procs 1,2] file.ion")
		os.Exit(2)
	}
	path := flag.Arg(0)
	if *child != "" {
		if err := runChild(*child, path); err != nil {
			fmt.Fprintln(os.Stderr, "coldread:", err)
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
		rows, err := ion.ReadFile[row](path)
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
	secs  float64
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
		var ratios, structRatios []float64
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
				rss := 0.0
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					rss = float64(ru.Maxrss) * 1024 / 1e6
				}
				got[mode] = sample{float64(ns) / 1e9, rss}
				res[mode] = append(res[mode], got[mode])
			}
			ratios = append(ratios, got["walk"].secs/got["read"].secs)
			structRatios = append(structRatios, got["walk"].secs/got["struct"].secs)
		}
		fmt.Printf("GOMAXPROCS=%s\n", p)
		for _, mode := range modes {
			var mbs, rss []float64
			for _, s := range res[mode] {
				mbs = append(mbs, sizeMB/s.secs)
				rss = append(rss, s.rssMB)
			}
			fmt.Printf("  %-6s %s MB/s, peak RSS %s MB (%s x the file)\n", mode, span(mbs, 0), span(rss, 0), span(scale(rss, 1/sizeMB), 2))
		}
		fmt.Printf("  Read / library walk: %sx; ReadFile[struct] / walk: %sx\n", span(ratios, 2), span(structRatios, 2))
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

func span(v []float64, prec int) string {
	lo, hi := slices.Min(v), slices.Max(v)
	if strconv.FormatFloat(lo, 'f', prec, 64) == strconv.FormatFloat(hi, 'f', prec, 64) {
		return strconv.FormatFloat(lo, 'f', prec, 64)
	}
	return strconv.FormatFloat(lo, 'f', prec, 64) + "-" + strconv.FormatFloat(hi, 'f', prec, 64)
}
