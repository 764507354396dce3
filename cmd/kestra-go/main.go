// Command kestra-go runs Kestra flows and manages their executions from a
// shell or a CI pipeline: run a flow with inputs and wait for it with live
// logs, wait for, inspect, kill, restart or resume an execution, deploy
// flows, search executions and use the KV store.
//
//	go install github.com/kestra-go/kestra-go/cmd/kestra-go@latest
//	kestra-go run company.team myflow -i name=Gopher -f data=./data.csv -o json
//
// It stands on package facade (no create is ever sent twice, waits follow the
// server's event stream) and reads the connection from flags or from the
// environment variables KESTRA_HOSTNAME, KESTRA_USER, KESTRA_PASSWORD,
// KESTRA_API_TOKEN and KESTRA_TENANT.
//
// Exit codes: 0 the execution ended SUCCESS (or WARNING, unless --strict),
// 1 it ended otherwise, 2 usage error, 3 server or network error, 124
// --timeout reached, 130 interrupted. "kestra-go --help" documents every
// command; the README documents the JSON output.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/mattn/go-isatty"
)

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		cancel(errInterrupted)
		// A second signal ends the program at once (the default action).
		signal.Stop(signals)
	}()
	a := &app{
		stdin:  os.Stdin,
		stdout: os.Stdout,
		stderr: os.Stderr,
		getenv: os.Getenv,
		tty:    stderrIsTerminal(),
	}
	os.Exit(a.main(ctx, os.Args[1:]))
}

// stderrIsTerminal reports whether stderr can show the progress line: a
// terminal (or a Cygwin/MSYS one) that understands the erase-line sequence
// (not TERM=dumb, as in Emacs shells).
func stderrIsTerminal() bool {
	fd := os.Stderr.Fd()
	return (isatty.IsTerminal(fd) || isatty.IsCygwinTerminal(fd)) && os.Getenv("TERM") != "dumb"
}
