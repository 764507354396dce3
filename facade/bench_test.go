package facade_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
	"github.com/kestra-go/kestra-go/kestratest"
)

// BenchmarkExecuteRequests reports the HTTP requests one waited execution
// costs with the default settings, for runs of 0.1 s, 2 s, 15 s and 60 s
// (the Python client makes 1 + 2 per second of run time). The guard reads
// (WithGuardInterval, default 10 s, then doubling) are the only requests
// that grow with the run time. The long cases take their real time: run
// them with -benchtime=1x.
func BenchmarkExecuteRequests(b *testing.B) {
	for _, run := range []time.Duration{100 * time.Millisecond, 2 * time.Second, 15 * time.Second, time.Minute} {
		b.Run(fmt.Sprintf("run=%v", run), func(b *testing.B) {
			srv := newServer(b)
			bind(srv, "timed", takes(run, true))
			f := newFlow(b, srv)
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

// BenchmarkOutage reports the requests of a wait that rides out a 60 s
// outage (20 s each of 503 answers, connection resets and refused
// connections, on the stream and the status reads) with the default retry
// settings, and checks it ends SUCCESS. It takes over a minute: run it with
// -benchtime=1x.
func BenchmarkOutage(b *testing.B) {
	for b.Loop() {
		srv := newServer(b)
		bind(srv, "slow", takes(65*time.Second, false))
		p := newOutageProxyB(b, srv.URL)
		f, err := facade.New(facade.WithHostname(p.URL), facade.WithBasicAuth("", ""), facade.WithAPIToken(""), facade.WithTenant(""))
		if err != nil {
			b.Fatal(err)
		}
		done := make(chan struct{})
		var res *facade.Result
		go func() { defer close(done); res, err = f.Execute(context.Background(), "company.team", "slow", nil) }()
		time.Sleep(2 * time.Second)
		before := p.requests.Load()
		p.outage(b, 20*time.Second)
		<-done
		if err != nil || res.Status != api.StateTypeSuccess {
			b.Fatal(err, res)
		}
		b.ReportMetric(float64(p.requests.Load()), "requests/wait")
		b.ReportMetric(float64(p.requests.Load()-before), "requests-from-outage-start")
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

// BenchmarkConcurrentWaits runs 1,000 and 5,000 concurrent Execute calls
// on one Flow per iteration (each waits ~100 ms of flow run time); ns/op is
// the wall time of one such wave, B/op and allocs/op are per wave.
// peak-heap-MB, peak-goroutines and peak-sockets are the highest live heap,
// goroutine count and open sockets seen while they wait (sampled every
// 5 ms, sockets every 100 ms), the in-process server's share included (its half of each
// connection too).
func BenchmarkConcurrentWaits(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		b.Run(fmt.Sprintf("waits=%d", n), func(b *testing.B) {
			srv := newServer(b)
			bind(srv, "waits", takes(100*time.Millisecond, false))
			f := newFlow(b, srv)
			ctx := context.Background()
			stop := make(chan struct{})
			sampled := make(chan [3]uint64)
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
			b.ReportMetric(float64(peaks[2]), "peak-sockets")
		})
	}
}

// samplePeaks records the highest live heap (bytes of live and not yet
// swept objects), goroutine count and open sockets until stop is closed,
// then sends them.
func samplePeaks(stop <-chan struct{}, out chan<- [3]uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/sched/goroutines:goroutines"}}
	var peak [3]uint64
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for i := 0; ; i++ {
		metrics.Read(s)
		peak[0] = max(peak[0], s[0].Value.Uint64())
		peak[1] = max(peak[1], s[1].Value.Uint64())
		if i%20 == 0 { // reading /proc is costly: every 100 ms
			peak[2] = max(peak[2], openSockets())
		}
		select {
		case <-stop:
			out <- peak
			return
		case <-t.C:
		}
	}
}

// openSockets counts this process's open sockets (Linux; 0 elsewhere).
func openSockets() uint64 {
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0
	}
	var n uint64
	for _, fd := range fds {
		if l, err := os.Readlink("/proc/self/fd/" + fd.Name()); err == nil && strings.HasPrefix(l, "socket:") {
			n++
		}
	}
	return n
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
