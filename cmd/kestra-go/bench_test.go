package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/kestra-go/kestra-go/kestratest"
)

const quickFlow = `id: quick
namespace: company.team
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: hi
`

// BenchmarkRun measures one "kestra-go run" in-process (flags, facade,
// create, wait, logs, JSON result) against the test server on loopback,
// and the requests it makes.
func BenchmarkRun(b *testing.B) {
	for _, logs := range []string{"live", "none"} {
		b.Run("logs="+logs, func(b *testing.B) {
			srv := kestratest.NewServer(kestratest.WithFlows(quickFlow))
			defer srv.Close()
			b.ReportAllocs()
			for b.Loop() {
				a := &app{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
				if code := a.main(context.Background(), []string{"--server", srv.URL, "run", "company.team", "quick", "-o", "json", "--logs", logs}); code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
			total := 0
			for _, op := range kestratest.Operations() {
				total += srv.RequestCount(op)
			}
			b.ReportMetric(float64(total)/float64(b.N), "requests/op")
		})
	}
}
