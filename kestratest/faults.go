package kestratest

import (
	"bytes"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Fault describes a failure to inject into the next matching requests, for
// reliability tests. Exactly one behaviour applies, in this order: Reset,
// Hang, Status (before or AfterHandle), CutSSEAfter.
type Fault struct {
	// Operation is the operationId the fault applies to (e.g.
	// "createExecution", "getExecution", "followExecution"); "" = any request.
	Operation string
	// Count is how many matching requests the fault applies to (0 means 1).
	Count int
	// Status answers this status (408, 429, 500, 502, 503, 504...) instead
	// of handling the request, with an error body in the configured format.
	Status int
	// RetryAfter, with Status, sends a Retry-After header (whole seconds,
	// rounded up).
	RetryAfter time.Duration
	// Hang holds the request without answering until the client gives up
	// or the server closes (then the connection is cut).
	Hang bool
	// Reset closes the TCP connection at once, without answering (the
	// client sees a connection reset).
	Reset bool
	// AfterHandle handles the request for real, then answers Status instead
	// of the real answer: the server did the work but the client sees a
	// failure (how duplicate creations happen with retrying clients).
	AfterHandle bool
	// CutSSEAfter, on an event-stream operation, sends this many events
	// (the `start` event included) and then cuts the connection without
	// an `end` event.
	CutSSEAfter int

	left int
}

// InjectFault queues a fault; it applies to the next matching requests, in
// the order faults were injected.
func (s *Server) InjectFault(f Fault) {
	if f.Count <= 0 {
		f.Count = 1
	}
	f.left = f.Count
	s.faultsMu.Lock()
	s.faults = append(s.faults, &f)
	s.faultsMu.Unlock()
}

// ClearFaults drops every queued fault.
func (s *Server) ClearFaults() {
	s.faultsMu.Lock()
	s.faults = nil
	s.faultsMu.Unlock()
}

// takeFault consumes one use of the first fault matching op.
func (s *Server) takeFault(op string) *Fault {
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	for i, f := range s.faults {
		if f.Operation != "" && f.Operation != op {
			continue
		}
		f.left--
		if f.left <= 0 {
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
		}
		cp := *f
		return &cp
	}
	return nil
}

// applyFault performs the faults that replace handling; it reports whether
// the request is done.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, op string, f *Fault) bool {
	switch {
	case f.Reset:
		s.log.Debug("fault: reset", "operation", op)
		resetConnection(w)
		return true
	case f.Hang:
		s.log.Debug("fault: hang", "operation", op)
		select {
		case <-r.Context().Done():
		case <-s.ctx.Done():
		}
		panic(http.ErrAbortHandler)
	case f.Status != 0 && !f.AfterHandle:
		s.log.Debug("fault: status", "operation", op, "status", f.Status)
		// Drain the body as a proxy would before answering.
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		s.faultStatus(w, r, f)
		return true
	}
	return false
}

func (s *Server) faultStatus(w http.ResponseWriter, r *http.Request, f *Fault) {
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(f.RetryAfter.Seconds()))))
	}
	text := http.StatusText(f.Status)
	detail := "fault injected by kestratest"
	slug := map[int]string{408: "request-timeout", 429: "too-many-requests", 502: "bad-gateway", 503: "service-unavailable", 504: "timeout"}[f.Status]
	if slug == "" {
		slug = "internal-error"
	}
	s.writeError(w, r, &apiError{status: f.Status, message: text + ": " + detail, slug: slug, detail: detail})
}

// resetConnection closes the client connection with a TCP RST.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

func ioNopCloser(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }
