package ion

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/ion/internal/benchdata"
)

// The benchmarks read testdata/bench/rows.ion (200,000 rows, written by
// `make bench` with ./ion/internal/genbench); without it they generate
// 20,000 rows of the same shape with the same generator.

var (
	benchOnce sync.Once
	benchData []byte
	benchErr  error
)

func benchInput(b *testing.B) []byte {
	b.Helper()
	benchOnce.Do(func() {
		if data, err := os.ReadFile(filepath.Join("testdata", "bench", "rows.ion")); err == nil {
			benchData = data
			return
		}
		path := filepath.Join(b.TempDir(), "rows.ion")
		f, err := os.Create(path)
		if err != nil {
			benchErr = err
			return
		}
		if err := benchdata.Write(f, 20_000); err != nil {
			benchErr = err
		}
		f.Close()
		benchData, err = os.ReadFile(path)
		if benchErr == nil {
			benchErr = err
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchData
}

// libraryWalk is the Ion library's plain walk of data (the baseline).
func libraryWalk(data []byte) (int, error) { return benchdata.LibraryWalk(bytes.NewReader(data)) }

func BenchmarkLibraryWalk(b *testing.B) {
	data := benchInput(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := libraryWalk(data); err != nil {
			b.Fatal(err)
		}
	}
}

// benchRead runs read on the benchmark input; B/op divided by the number
// of rows (200,000 in the file `make bench` writes) is the size of a row in
// the result.
func benchRead(b *testing.B, read func([]byte) ([]map[string]any, error)) {
	data := benchInput(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var rows []map[string]any
	for b.Loop() {
		var err error
		if rows, err = read(data); err != nil || len(rows) == 0 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rows)), "rows")
}

func BenchmarkRead(b *testing.B) {
	benchRead(b, func(data []byte) ([]map[string]any, error) { return ReadAll(bytes.NewReader(data)) })
}

// BenchmarkReadLibraryMaps is Read without the fast path: the library's
// reader plus the same conversions into maps.
func BenchmarkReadLibraryMaps(b *testing.B) {
	benchRead(b, func(data []byte) ([]map[string]any, error) {
		return ReadAll(bytes.NewReader(data), WithoutFastPath())
	})
}

// BenchmarkReadVsLibrary runs, on the same bytes in the same iterations,
// the library's plain walk and ReadAll, and reports their speeds and ratios.
// ReadAll builds a result about 3.8 times the input's size, so its speed
// depends on whether the process already has that memory: "cold" runs start
// after the runtime returned its free memory to the OS (debug.FreeOSMemory,
// like a fresh process: every new page costs a page fault), "warm" runs
// reuse the memory of the previous result (a long-running process). The walk
// keeps nothing, so it is not affected; it runs cold.
func BenchmarkReadVsLibrary(b *testing.B) {
	data := benchInput(b)
	var lib, cold, warm, single time.Duration
	timed := func(total *time.Duration, f func() ([]map[string]any, error)) {
		t0 := time.Now()
		rows, err := f()
		*total += time.Since(t0)
		if err != nil || len(rows) == 0 {
			b.Fatal(err)
		}
	}
	b.SetBytes(4 * int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		debug.FreeOSMemory()
		t0 := time.Now()
		if _, err := libraryWalk(data); err != nil {
			b.Fatal(err)
		}
		lib += time.Since(t0)
		debug.FreeOSMemory()
		timed(&cold, func() ([]map[string]any, error) { return ReadAll(bytes.NewReader(data)) })
		runtime.GC()
		timed(&warm, func() ([]map[string]any, error) { return ReadAll(bytes.NewReader(data)) })
		runtime.GC()
		timed(&single, func() ([]map[string]any, error) {
			return readSections[map[string]any](bytes.NewReader(data), data, 0, int64(len(data)), newConfig(nil), 1)
		})
	}
	mb := float64(len(data)) * float64(b.N) / 1e6
	b.ReportMetric(mb/lib.Seconds(), "library-walk-MB/s")
	b.ReportMetric(mb/cold.Seconds(), "read-cold-MB/s")
	b.ReportMetric(mb/warm.Seconds(), "read-warm-MB/s")
	b.ReportMetric(mb/single.Seconds(), "read-warm-1core-MB/s")
	b.ReportMetric(lib.Seconds()/cold.Seconds(), "speedup-cold-x")
	b.ReportMetric(lib.Seconds()/warm.Seconds(), "speedup-warm-x")
	b.ReportMetric(lib.Seconds()/single.Seconds(), "speedup-warm-1core-x")
}

// BenchmarkReadOneCore is ReadAll's parsing in one section (one core).
func BenchmarkReadOneCore(b *testing.B) {
	benchRead(b, func(data []byte) ([]map[string]any, error) {
		return readSections[map[string]any](bytes.NewReader(data), data, 0, int64(len(data)), newConfig(nil), 1)
	})
}

// benchStream runs next on a streaming Decoder once per iteration (one
// row), starting again at the end of the input: B/op and allocs/op are
// per row, and stay the same whatever the file size.
func benchStream(b *testing.B, next func(d *Decoder) error) {
	data := benchInput(b)
	lines := bytes.Count(data, []byte{'\n'})
	b.SetBytes(int64(len(data) / lines))
	b.ReportAllocs()
	d := NewDecoder(bytes.NewReader(data))
	for b.Loop() {
		err := next(d)
		if err == io.EOF {
			d = NewDecoder(bytes.NewReader(data))
			err = next(d)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStreamRow measures the streaming Decoder per map row.
func BenchmarkStreamRow(b *testing.B) {
	benchStream(b, func(d *Decoder) error { _, err := d.Next(); return err })
}

// BenchmarkStreamStruct is BenchmarkStreamRow decoding each row into a
// struct (field by field, no map).
func BenchmarkStreamStruct(b *testing.B) {
	benchStream(b, func(d *Decoder) error {
		var r benchdata.Row
		return d.Decode(&r)
	})
}

// BenchmarkReadStruct is ReadAll's whole-input read into structs, as
// ReadFile[benchdata.Row] does.
func BenchmarkReadStruct(b *testing.B) {
	data := benchInput(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rows, err := readAll[benchdata.Row](bytes.NewReader(data), newConfig(nil))
		if err != nil || len(rows) == 0 {
			b.Fatal(err)
		}
	}
}
