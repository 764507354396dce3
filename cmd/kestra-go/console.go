package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
)

// console writes logs and progress to stderr. On a terminal the progress is
// one line (state, elapsed time, task running) redrawn in place; elsewhere
// (CI logs, files) every write is a plain line and a state change is a line
// of its own, with no control characters at all.
type console struct {
	w   io.Writer
	tty bool

	mu      sync.Mutex
	start   time.Time
	id      string
	state   string
	task    string
	shown   bool   // a progress line is on screen
	ending  string // off a terminal: the end state's line, held until stop
	ticking bool
	stopped chan struct{}
	done    sync.WaitGroup
}

// progressWidth bounds the progress line, so that it never wraps on a
// narrow terminal (a wrapped line cannot be redrawn with a carriage return).
const progressWidth = 72

func newConsole(w io.Writer, tty bool) *console {
	return &console{w: w, tty: tty, start: time.Now(), stopped: make(chan struct{})}
}

// startProgress redraws the progress line every 200 ms until stop, on a
// terminal only.
func (c *console) startProgress() {
	if !c.tty {
		return
	}
	c.mu.Lock()
	c.ticking = true
	c.mu.Unlock()
	c.done.Add(1)
	go func() {
		defer c.done.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-c.stopped:
				return
			case <-t.C:
				c.mu.Lock()
				c.draw()
				c.mu.Unlock()
			}
		}
	}()
}

// stop ends the progress display and clears its line. It may be called
// more than once.
func (c *console) stop() {
	c.mu.Lock()
	if c.ticking {
		c.ticking = false
		close(c.stopped)
	}
	c.mu.Unlock()
	c.done.Wait()
	c.mu.Lock()
	c.clear()
	if c.ending != "" {
		fmt.Fprintln(c.w, c.ending)
		c.ending = ""
	}
	c.mu.Unlock()
}

// log prints one log entry: "<time> <LEVEL> [<task>] <message>".
func (c *console) log(e api.LogEntry) {
	line := formatLogLine(e)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clear()
	fmt.Fprintln(c.w, line)
	c.draw()
}

// setTasks records the tasks running now, for the progress line.
func (c *console) setTasks(ids []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.task = strings.Join(ids, ", ")
	c.draw()
}

// setState records the execution's state: redrawn on a terminal, a line of
// its own elsewhere when it changed.
func (c *console) setState(id, state string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.id == id && c.state == state {
		return
	}
	c.id, c.state = id, state
	line := "execution " + cleanLine(id) + " " + cleanLine(state)
	if api.StateType(state) == api.StateTypePaused {
		// The wait goes on until someone resumes it: say how.
		line += " (kestra-go resume " + cleanLine(id) + " resumes it)"
		c.clear()
		fmt.Fprintln(c.w, line)
		c.draw()
		return
	}
	if !c.tty {
		if facade.IsTerminal(api.StateType(state)) {
			// After the last log lines, which the facade may pass once
			// the end is known.
			c.ending = line
			return
		}
		fmt.Fprintln(c.w, line)
		return
	}
	c.draw()
}

// created announces a new execution and its link, on a line of its own.
func (c *console) created(id, url string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.id, c.state = id, "CREATED"
	c.clear()
	line := "execution " + cleanLine(id) + " created"
	if url != "" {
		line += ": " + cleanLine(url)
	}
	fmt.Fprintln(c.w, line)
	c.draw()
}

// draw writes the progress line (caller holds mu).
func (c *console) draw() {
	if !c.tty || !c.ticking {
		return
	}
	state := c.state
	if state == "" {
		state = "STARTING"
	}
	s := fmt.Sprintf("%s  %s", state, time.Since(c.start).Truncate(100*time.Millisecond))
	if c.task != "" {
		s += "  task " + c.task
	}
	s = truncate(cleanLine(s), progressWidth)
	fmt.Fprint(c.w, "\r\x1b[K"+s)
	c.shown = true
}

// clear removes the progress line (caller holds mu).
func (c *console) clear() {
	if c.shown {
		fmt.Fprint(c.w, "\r\x1b[K")
		c.shown = false
	}
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// formatLogLine writes a log entry as "<time> <LEVEL> [<task>] <message>",
// the time in UTC with milliseconds (the precision of Kestra's task logs).
// A multi-line message keeps its lines, indented.
func formatLogLine(e api.LogEntry) string {
	var b strings.Builder
	if !e.Timestamp.IsZero() {
		b.WriteString(e.Timestamp.UTC().Format("2006-01-02T15:04:05.000Z"))
		b.WriteByte(' ')
	}
	level := "INFO"
	if e.Level != "" {
		level = string(e.Level)
	}
	fmt.Fprintf(&b, "%-5s ", cleanLine(level))
	if e.TaskID != "" {
		b.WriteString("[" + cleanLine(e.TaskID) + "] ")
	}
	msg := strings.TrimRight(cleanText(e.Message), "\n")
	b.WriteString(strings.ReplaceAll(msg, "\n", "\n    "))
	return b.String()
}
