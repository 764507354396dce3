package emitter_test

import (
	"log/slog"
	"os"
	"strings"

	"github.com/kestra-go/kestra-go/emitter"
)

// main is a Go program as it runs inside a Kestra task (a Go Script or
// Commands task, with the Process or Docker task runner). Its outputs become
// {{ outputs.<taskId>.vars.rows }}, its metrics appear in the execution's
// Metrics tab and its slog records in the task's logs.
func main() {
	slog.SetDefault(emitter.Logger()) // every slog call becomes a Kestra log line
	slog.Info("starting", "source", "orders.csv")

	rows, skipped := load(os.Getenv("ORDERS"))
	if err := emitter.Counter("rows", float64(rows), map[string]string{"source": "orders.csv"}); err != nil {
		slog.Error("cannot send metric", "err", err)
		os.Exit(1) // a non-zero exit code fails the task
	}
	if skipped > 0 {
		// Logged at WARN, but still on stdout: the task does not turn WARNING.
		slog.Warn("rows without a customer id", "skipped", skipped)
	}
	emitter.Outputs(map[string]any{"rows": rows, "skipped": skipped})
}

func load(data string) (rows, skipped int) {
	for _, line := range strings.Split(data, "\n") {
		if strings.HasPrefix(line, ",") {
			skipped++
		} else if line != "" {
			rows++
		}
	}
	return rows, skipped
}

func Example_kestraTask() {
	// For this example only: the task's environment, and no time in log
	// messages so that the output is deterministic.
	os.Setenv("ORDERS", "c1,10\n,20\nc2,30\n")
	defer emitter.SetDefault(emitter.Default())
	emitter.SetDefault(emitter.New(os.Stdout, os.Stderr, emitter.WithoutLogTime()))
	defer slog.SetDefault(slog.Default())

	main()
	// Output:
	// ::{"logs":[{"level":"INFO","message":"starting source=orders.csv"}]}::
	// ::{"metrics":[{"name":"rows","type":"counter","value":2.0,"tags":{"source":"orders.csv"}}]}::
	// ::{"logs":[{"level":"WARN","message":"rows without a customer id skipped=1"}]}::
	// ::{"outputs":{"rows":2,"skipped":1}}::
}
