package facade_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

// BenchmarkExecuteRequests reports the HTTP requests one waited execution
// costs (the Python client makes 1 + 2 per poll interval; goal: at most 3,
// whatever the run time). A 1.5 s run, longer than the Python client's poll
// interval, still costs 3. The guard reads (see WithGuardInterval, default
// 10 s) are the only requests that grow with the run time, with its
// logarithm: the last case runs 15 guard intervals (a 100 ms interval
// standing for the default 10 s, i.e. a 150 s run).
func BenchmarkExecuteRequests(b *testing.B) {
	for _, tc := range []struct {
		run, guard time.Duration
	}{{0, facade.DefaultGuardInterval}, {1500 * time.Millisecond, facade.DefaultGuardInterval}, {1500 * time.Millisecond, 100 * time.Millisecond}} {
		run := tc.run
		b.Run(fmt.Sprintf("run=%v,guard=%v", run, tc.guard), func(b *testing.B) {
			srv := newServer(b)
			bind(srv, "timed", takes(run, true))
			f := newFlow(b, srv, facade.WithGuardInterval(tc.guard))
			ctx := context.Background()
			srv.ResetCounts()
			b.ResetTimer()
			for b.Loop() {
				res, err := f.Execute(ctx, "company.team", "timed", nil)
				if err != nil || res.Status != api.StateTypeSuccess {
					b.Fatal(err, res)
				}
			}
			b.ReportMetric(float64(srv.RequestCount(""))/float64(b.N), "requests/op")
		})
	}
}

// BenchmarkEndToReturn reports the time from the end of a flow's work (the
// bound Go function returning, just before the server sets the terminal
// state) to Execute returning, with the result and logs (Python client:
// half the poll interval on average; goal: under 50 ms).
func BenchmarkEndToReturn(b *testing.B) {
	srv := newServer(b)
	var ended atomic.Int64
	bind(srv, "marks-end", func(ctx context.Context, r *kestratest.Run) error {
		r.Log("INFO", "work")
		time.Sleep(20 * time.Millisecond) // so the wait is really following
		ended.Store(time.Now().UnixNano())
		return nil
	})
	f := newFlow(b, srv)
	ctx := context.Background()
	var total time.Duration
	var worst time.Duration
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.Execute(ctx, "company.team", "marks-end", nil); err != nil {
			b.Fatal(err)
		}
		d := time.Duration(time.Now().UnixNano() - ended.Load())
		total += d
		worst = max(worst, d)
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-after-end/op")
	b.ReportMetric(float64(worst.Microseconds())/1000, "ms-after-end-max")
}

// BenchmarkConcurrentWaits runs 1,000 concurrent Execute calls on one Flow
// per iteration (each waits ~100 ms of flow run time); ns/op, B/op and
// allocs/op are per 1,000 waits. peak-heap-MB and peak-goroutines are the
// highest live heap and goroutine count seen while they wait (sampled every
// 5 ms), the in-process server's share included.
func BenchmarkConcurrentWaits(b *testing.B) {
	srv := newServer(b)
	bind(srv, "waits", takes(100*time.Millisecond, false))
	f := newFlow(b, srv)
	ctx := context.Background()
	const n = 1000
	stop := make(chan struct{})
	sampled := make(chan [2]uint64)
	go samplePeaks(stop, sampled)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var wg sync.WaitGroup
		var failed atomic.Int32
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := f.Execute(ctx, "company.team", "waits", nil)
				if err != nil || res.Status != api.StateTypeSuccess {
					failed.Add(1)
				}
			}()
		}
		wg.Wait()
		if failed.Load() > 0 {
			b.Fatalf("%d of %d executions failed", failed.Load(), n)
		}
	}
	b.StopTimer()
	close(stop)
	peaks := <-sampled
	b.ReportMetric(float64(srv.RequestCount(""))/float64(b.N*n), "requests/execution")
	b.ReportMetric(float64(peaks[0])/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(peaks[1]), "peak-goroutines")
}

// samplePeaks records the highest live heap (bytes of live and not yet
// swept objects) and goroutine count until stop is closed, then sends them.
func samplePeaks(stop <-chan struct{}, out chan<- [2]uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/sched/goroutines:goroutines"}}
	var peak [2]uint64
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		metrics.Read(s)
		peak[0] = max(peak[0], s[0].Value.Uint64())
		peak[1] = max(peak[1], s[1].Value.Uint64())
		select {
		case <-stop:
			out <- peak
			return
		case <-t.C:
		}
	}
}

// BenchmarkFileInputStreaming sends a 64 MiB file input to a tiny handler
// that discards the body (kestratest buffers uploads, which would hide the
// client's own memory use): B/op far below the file size shows the client
// streams the file instead of reading it into memory.
func BenchmarkFileInputStreaming(b *testing.B) {
	hs := newTinyServer(b, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"e1","namespace":"ns","flowId":"f","flowRevision":1,"originalId":"e1",`+
			`"state":{"current":"CREATED","histories":[]},"metadata":{"originalCreatedDate":"2026-01-01T00:00:00Z"}}`)
	})
	f, err := facade.New(facade.WithHostname(hs), facade.WithWait(false))
	if err != nil {
		b.Fatal(err)
	}
	const size = 64 << 20
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		res, err := f.Execute(context.Background(), "ns", "f", map[string]any{
			"data": facade.File{Name: "big.bin", Reader: &zeroReader{left: size}},
		})
		if err != nil || res.ExecutionID != "e1" {
			b.Fatal(err)
		}
	}
}

// zeroReader yields n zero bytes and does not seek.
type zeroReader struct{ left int }

func (z *zeroReader) Read(p []byte) (int, error) {
	if z.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), z.left)
	clear(p[:n])
	z.left -= n
	return n, nil
}
