package emitter_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/emitter"
)

// The package-level functions write to os.Stdout, like the Python client's
// Kestra class.
func Example() {
	emitter.Outputs(map[string]any{"rows": 42, "table": "orders"})
	emitter.Counter("rows", 42, map[string]string{"table": "orders"})
	emitter.Timer("load", 1500*time.Millisecond, nil)
	emitter.Gauge("queue_depth", 7, nil)
	// Output:
	// ::{"outputs":{"rows":42,"table":"orders"}}::
	// ::{"metrics":[{"name":"rows","type":"counter","value":42.0,"tags":{"table":"orders"}}]}::
	// ::{"metrics":[{"name":"load","type":"timer","value":1.5,"tags":{}}]}::
	// ::{"metrics":[{"name":"queue_depth","type":"gauge","value":7.0,"tags":{}}]}::
}

func ExampleFormat() {
	line, err := emitter.Format(emitter.Message{
		Outputs: map[string]any{"city": "Zürich", "note": "line1\nline2\u2028"},
		Logs:    []emitter.Log{{Level: emitter.LogInfo, Message: "done"}},
	})
	fmt.Println(line, err)

	_, err = emitter.Format(emitter.Message{Outputs: map[string]any{"ratio": math.NaN()}})
	fmt.Println(errors.Is(err, emitter.ErrInvalid))
	// Output:
	// ::{"outputs":{"city":"Z\u00fcrich","note":"line1\nline2\u2028"},"logs":[{"level":"INFO","message":"done"}]}:: <nil>
	// true
}

// Parse shows what the server takes from a line; use it to test a program's
// output.
func ExampleParse() {
	m, err := emitter.Parse(`::{"outputs":{"rows":42},"metrics":[{"name":"t","type":"timer","value":"PT1.5S"}]}::`)
	fmt.Println(m.Outputs["rows"], m.Metrics[0].Duration, err)

	// A lowercase level makes the server drop the whole line, outputs included.
	_, err = emitter.Parse(`::{"outputs":{"rows":42},"logs":[{"level":"info","message":"x"}]}::`)
	fmt.Println(errors.Is(err, emitter.ErrRejected))

	// A leading space: not a protocol line, the server logs it as text.
	_, err = emitter.Parse(` ::{"outputs":{"rows":42}}::`)
	fmt.Println(errors.Is(err, emitter.ErrNotProtocol))

	// Only the first frame of a line counts.
	m, _ = emitter.Parse(`::{"outputs":{"a":1}}:: ::{"outputs":{"b":2}}::`)
	fmt.Println(m.Outputs)
	// Output:
	// 42 1.5s <nil>
	// true
	// true
	// map[a:1]
}

func ExampleLogger() {
	e := emitter.New(os.Stdout, os.Stderr, emitter.WithoutLogTime())
	log := e.Logger().With("job", "nightly load")
	log.Info("loaded", "rows", 42, slog.Group("db", "table", "orders"))
	log.Log(context.Background(), emitter.LevelTrace, "details")
	// Output:
	// ::{"logs":[{"level":"INFO","message":"loaded job=\"nightly load\" rows=42 db.table=orders"}]}::
	// ::{"logs":[{"level":"TRACE","message":"details job=\"nightly load\""}]}::
}

// OutputPairs sends outputs without building a map, in the order given.
func ExampleOutputPairs() {
	err := emitter.OutputPairs("rows", 42, "table", "orders")
	fmt.Println(err)
	// Output:
	// ::{"outputs":{"rows":42,"table":"orders"}}::
	// <nil>
}

// New binds an Emitter to any writers; tests use buffers.
func ExampleNew() {
	e := emitter.New(os.Stdout, os.Stderr)
	err := e.Assets(emitter.AssetSet{
		Inputs:  []emitter.AssetRef{{ID: "raw_orders", Type: "TABLE"}},
		Outputs: []emitter.Asset{{ID: "orders", Type: "TABLE", Metadata: map[string]any{"system": "postgres", "schema": "public"}}},
	})
	fmt.Println(err)
	// Output:
	// ::{"assets":{"inputs":[{"id":"raw_orders","type":"TABLE"}],"outputs":[{"id":"orders","type":"TABLE","metadata":{"schema":"public","system":"postgres"}}]}}::
	// <nil>
}

func ExampleEmitter_TimeFunc() {
	var out strings.Builder // os.Stdout in a task
	e := emitter.New(&out, os.Stderr)
	_ = e.TimeFunc("sleep", map[string]string{"step": "1"}, func() error {
		time.Sleep(10 * time.Millisecond)
		return nil
	})
	// The line is ::{"metrics":[{"name":"sleep","type":"timer","value":0.0101…,"tags":{"step":"1"}}]}::
	m, err := emitter.Parse(out.String())
	if err != nil {
		panic(err)
	}
	timer := m.Metrics[0]
	fmt.Println(timer.Type, timer.Name, timer.Tags, timer.Duration >= 10*time.Millisecond)
	// Output: timer sleep map[step:1] true
}
