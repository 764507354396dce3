package emitter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// A stack overflow is a fatal error that no recover catches, so hostile
// values are tried in a child process: the test binary re-executed with
// hostileEnv naming the case. The child prints one line, "result: " and
// what the call returned, and exits 0; a crash shows as a non-zero exit and
// the runtime's message.
const hostileEnv = "EMITTER_HOSTILE_CASE"

func TestMain(m *testing.M) {
	if name := os.Getenv(hostileEnv); name != "" {
		c, ok := hostileCases[name]
		if !ok {
			fmt.Println("result: unknown case", name)
			os.Exit(3)
		}
		fmt.Println("result:", c.run())
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const hostileDepth = 1_000_000

type chainNode struct{ Next *chainNode }

type valueNode struct{ Next any }

type embedChain struct {
	*embedChain
	V any `json:"v"`
}

type deepMarshaler struct{}

func (deepMarshaler) MarshalJSON() ([]byte, error) {
	return []byte(strings.Repeat("[", hostileDepth) + strings.Repeat("]", hostileDepth)), nil
}

func structChain() any {
	var n *chainNode
	for range hostileDepth {
		n = &chainNode{Next: n}
	}
	return n
}

func anyPointerChain() any {
	var v any = 1
	for range hostileDepth {
		w := v
		v = &w
	}
	return v
}

func valueChain() any {
	var v any
	for range hostileDepth {
		v = valueNode{Next: v}
	}
	return v
}

func sliceChain() any {
	var v any
	for range hostileDepth {
		v = []any{v}
	}
	return v
}

func mapInStructChain() any {
	var v any
	for range hostileDepth {
		v = struct{ M map[string]any }{M: map[string]any{"m": v}}
	}
	return v
}

func embeddedChain() any {
	var e *embedChain
	for range hostileDepth {
		e = &embedChain{embedChain: e}
	}
	return e
}

func cyclicMap() any {
	m := map[string]any{"a": 1}
	m["self"] = m
	return m
}

func cyclicSlice() any {
	s := []any{nil, 1}
	s[0] = s
	return s
}

func cyclicStruct() any {
	n := &chainNode{}
	n.Next = n
	return n
}

func cyclicStructMap() any {
	m := map[string]any{}
	m["s"] = struct{ M map[string]any }{M: m}
	return m
}

func cyclicPointer() any {
	var x any
	x = &x
	return x
}

// outputsCase sends v as an output and reports the error kind.
func outputsCase(v func() any) func() string {
	return func() string {
		var out bytes.Buffer
		err := New(&out, &out).Outputs(map[string]any{"v": v()})
		return errorKind(err) + fmt.Sprintf(" written=%d", out.Len())
	}
}

// loggerCase logs v as an attribute: the line must be written, with the
// value replaced by !ERROR: and the reason, and must parse.
func loggerCase(attr func() slog.Attr) func() string {
	return func() string {
		var out bytes.Buffer
		h := New(&out, &out).Handler()
		r := slog.NewRecord(time.Now(), slog.LevelInfo, "hostile", 0)
		r.AddAttrs(attr())
		err := h.Handle(context.Background(), r)
		m, perr := Parse(out.String())
		if perr != nil || len(m.Logs) != 1 {
			return fmt.Sprintf("handle=%v parse=%v", err, perr)
		}
		msg := m.Logs[0].Message
		if i := strings.Index(msg, "!ERROR:"); i >= 0 {
			return fmt.Sprintf("handle=%v logged %s", err, msg[i:])
		}
		return fmt.Sprintf("handle=%v logged without error (%d chars)", err, len(msg))
	}
}

func errorKind(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrTooLarge):
		return "ErrTooLarge: " + err.Error()
	case errors.Is(err, ErrInvalid):
		return "ErrInvalid: " + err.Error()
	}
	return "other: " + err.Error()
}

type hostileCase struct {
	run  func() string
	want string // a substring of the child's result line
}

var hostileCases = map[string]hostileCase{
	"outputs struct pointer chain":  {outputsCase(structChain), "ErrTooLarge"},
	"outputs any pointer chain":     {outputsCase(anyPointerChain), "ErrTooLarge"},
	"outputs struct value chain":    {outputsCase(valueChain), "ErrTooLarge"},
	"outputs slice chain":           {outputsCase(sliceChain), "ErrTooLarge"},
	"outputs map in struct chain":   {outputsCase(mapInStructChain), "ErrTooLarge"},
	"outputs embedded struct chain": {outputsCase(embeddedChain), "ErrTooLarge"},
	// encoding/json itself refuses a MarshalJSON result nested deeper than
	// 10 000 (ErrInvalid); between 1001 and 10 000 the encoder's own check
	// gives ErrTooLarge (TestDeepMarshalJSON).
	"outputs deep MarshalJSON":       {outputsCase(func() any { return deepMarshaler{} }), "exceeded max depth written=0"},
	"outputs cyclic map":             {outputsCase(cyclicMap), "ErrInvalid: outputs: invalid message: the value contains itself"},
	"outputs cyclic slice":           {outputsCase(cyclicSlice), "ErrInvalid: outputs: invalid message: the value contains itself"},
	"outputs cyclic struct":          {outputsCase(cyclicStruct), "ErrInvalid: outputs: invalid message: the value contains itself"},
	"outputs cyclic map via struct":  {outputsCase(cyclicStructMap), "ErrInvalid: outputs: invalid message: the value contains itself"},
	"outputs cyclic pointer":         {outputsCase(cyclicPointer), "ErrInvalid: outputs: invalid message: the value contains itself"},
	"logger cyclic map":              {loggerCase(func() slog.Attr { return slog.Any("m", cyclicMap()) }), "handle=<nil> logged !ERROR:invalid message: the value contains itself"},
	"logger cyclic slice":            {loggerCase(func() slog.Attr { return slog.Any("s", cyclicSlice()) }), "handle=<nil> logged !ERROR:invalid message: the value contains itself"},
	"logger cyclic map via struct":   {loggerCase(func() slog.Attr { return slog.Any("m", cyclicStructMap()) }), "handle=<nil> logged !ERROR:invalid message: the value contains itself"},
	"logger slice chain":             {loggerCase(func() slog.Attr { return slog.Any("s", sliceChain()) }), "handle=<nil> logged !ERROR:message too large"},
	"logger struct value chain":      {loggerCase(func() slog.Attr { return slog.Any("v", valueChain()) }), "handle=<nil> logged !ERROR:message too large"},
	"logger struct pointer chain":    {loggerCase(func() slog.Attr { return slog.Any("p", structChain()) }), "handle=<nil> logged without error"}, // fmt prints nested pointers as addresses
	"logger group chain":             {loggerCase(groupChain), "handle=<nil> logged !ERROR:groups nested deeper than 1000"},
	"parse deep nesting":             {parseDeep, "ErrRejected ErrTooLarge"},
	"format deep json.RawMessage":    {formatDeepRaw, "exceeded max depth"},
	"outputs deep map (no cycle)":    {outputsCase(mapChain), "ErrTooLarge"},
	"outputs long key inside struct": {outputsCase(longKeyInStruct), "ErrTooLarge: outputs: message too large: a key of 60000 UTF-16 units"},
}

func groupChain() slog.Attr {
	a := slog.Int("leaf", 1)
	for range hostileDepth {
		a = slog.Group("g", a)
	}
	return a
}

func mapChain() any {
	var v any
	for range hostileDepth {
		v = map[string]any{"m": v}
	}
	return v
}

func longKeyInStruct() any {
	return struct{ M map[string]int }{M: map[string]int{strings.Repeat("k", 60_000): 1}}
}

func parseDeep() string {
	line := "::{\"outputs\":" + strings.Repeat("[", hostileDepth) + strings.Repeat("]", hostileDepth) + "}::"
	_, err := Parse(line)
	return fmt.Sprintf("%s %s", map[bool]string{true: "ErrRejected"}[errors.Is(err, ErrRejected)], map[bool]string{true: "ErrTooLarge"}[errors.Is(err, ErrTooLarge)])
}

func formatDeepRaw() string {
	raw := json.RawMessage(strings.Repeat(`{"a":`, hostileDepth) + "1" + strings.Repeat("}", hostileDepth))
	_, err := Format(Message{Outputs: map[string]any{"raw": raw}})
	return errorKind(err)
}

// TestHostileValuesDoNotCrash runs each hostile case in a child process:
// each must return its error (or, for the logger, log !ERROR:) instead of
// overflowing the stack.
func TestHostileValuesDoNotCrash(t *testing.T) {
	t.Parallel()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range hostileCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(exe, "-test.run=^$")
			cmd.Env = append(os.Environ(), hostileEnv+"="+name)
			out, err := cmd.CombinedOutput()
			if err != nil {
				head := out
				if len(head) > 2000 {
					head = head[:2000]
				}
				t.Fatalf("child crashed: %v\n%s", err, head)
			}
			line := strings.TrimSpace(string(out))
			if !strings.HasPrefix(line, "result: ") || !strings.Contains(line, c.want) {
				t.Fatalf("child returned %q, want it to contain %q", line, c.want)
			}
			if strings.HasPrefix(name, "outputs") && !strings.HasSuffix(line, "written=0") {
				t.Fatalf("a refused value wrote output: %q", line)
			}
		})
	}
}
