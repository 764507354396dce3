package facade

import (
	"context"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime/multipart"
	"net/textproto"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/kestra-go/kestra-go/internal/javatime"
)

// File is a FILE input: the Python client's ('name', fh, 'text/plain') tuple.
// Its Reader is streamed into the request body, never read into memory.
//
// A Reader can be read only once, so a create whose body was already sent
// (partly) is resent only when Reader is also an io.Seeker: the facade seeks
// back to the position it found the reader at. A *os.File is both.
type File struct {
	// Name is the file name the server stores (the multipart filename).
	Name string
	// Reader yields the content.
	Reader io.Reader
	// ContentType defaults to application/octet-stream.
	ContentType string
}

// inputPart is one multipart part, ready to be written (possibly many times).
type inputPart struct {
	name  string
	value string // plain part
	file  *fileSource
}

// fileSource tracks a File's reader across attempts.
type fileSource struct {
	File
	start   int64 // position at first use, for Seekers
	seeker  io.Seeker
	mu      sync.Mutex
	touched bool // some bytes were read by an earlier attempt
}

// rewind prepares the reader for another attempt; false when it cannot be
// replayed.
func (s *fileSource) rewind() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.touched {
		return true
	}
	if s.seeker == nil {
		return false
	}
	_, err := s.seeker.Seek(s.start, io.SeekStart)
	return err == nil
}

func (s *fileSource) Read(p []byte) (int, error) {
	s.mu.Lock()
	s.touched = true
	s.mu.Unlock()
	return s.Reader.Read(p)
}

// preparedInputs are the inputs of one Execute call in a fixed order.
type preparedInputs struct {
	parts []inputPart
	// writing is closed when the writer goroutine of the last body has
	// stopped (nil before the first body).
	writing chan struct{}
	// boundary is the same for every body, so that a request's
	// Content-Type still fits a body made again for a resend.
	boundary string
}

// prepareInputs converts every input value to its wire form, in key order.
// nil values are left out (the server then applies the input's default).
func prepareInputs(inputs map[string]any) (*preparedInputs, error) {
	keys := make([]string, 0, len(inputs))
	for k := range inputs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	p := &preparedInputs{parts: make([]inputPart, 0, len(keys))}
	for _, k := range keys {
		v := inputs[k]
		if f, ok := asFile(v); ok {
			if f.Reader == nil {
				return nil, fmt.Errorf("input %q: facade.File without Reader", k)
			}
			src := &fileSource{File: f}
			if sk, ok := f.Reader.(io.Seeker); ok {
				if pos, err := sk.Seek(0, io.SeekCurrent); err == nil {
					src.seeker, src.start = sk, pos
				}
			}
			p.parts = append(p.parts, inputPart{name: k, file: src})
			continue
		}
		s, ok, err := formatValue(v)
		if err != nil {
			return nil, fmt.Errorf("input %q: %w", k, err)
		}
		if !ok {
			continue
		}
		p.parts = append(p.parts, inputPart{name: k, value: s})
	}
	return p, nil
}

// asFile recognises file inputs: File, *File, and *os.File-like readers that
// have a Name (the base name becomes the file name).
func asFile(v any) (File, bool) {
	switch f := v.(type) {
	case File:
		return f, true
	case *File:
		if f == nil {
			return File{}, false
		}
		return *f, true
	case interface {
		io.Reader
		Name() string
	}:
		return File{Name: filepath.Base(f.Name()), Reader: f}, true
	}
	return File{}, false
}

// rewind prepares all file readers for a new attempt. It first waits until
// the previous attempt's writer has stopped: the transport may give up on a
// body while its writer is inside a file Read, and no read of that attempt
// may run concurrently with the seek or with the next attempt's reads. It
// fails with the context's error, or with ErrInputNotReplayable.
func (p *preparedInputs) rewind(ctx context.Context) error {
	if p.writing != nil {
		select {
		case <-p.writing:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for _, part := range p.parts {
		if part.file != nil && !part.file.rewind() {
			return ErrInputNotReplayable
		}
	}
	return nil
}

// contentType is the Content-Type of every body of p.
func (p *preparedInputs) contentType() string {
	if p.boundary == "" {
		p.boundary = multipart.NewWriter(io.Discard).Boundary()
	}
	return "multipart/form-data; boundary=" + p.boundary
}

// body starts writing the multipart form into a pipe and returns its reader
// and content type. The writer goroutine ends when the form is written or the
// reader is closed (the HTTP transport closes it when the request ends).
// Every body of p has the same content type.
func (p *preparedInputs) body() (io.ReadCloser, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	if p.boundary == "" {
		p.boundary = mw.Boundary()
	} else {
		_ = mw.SetBoundary(p.boundary) // valid: made by multipart.Writer
	}
	done := make(chan struct{})
	p.writing = done
	go func() {
		defer close(done)
		pw.CloseWithError(p.write(mw))
	}()
	return pr, mw.FormDataContentType()
}

func (p *preparedInputs) write(mw *multipart.Writer) error {
	for _, part := range p.parts {
		if part.file == nil {
			if err := mw.WriteField(part.name, part.value); err != nil {
				return err
			}
			continue
		}
		h := make(textproto.MIMEHeader, 2)
		h.Set("Content-Disposition", multipart.FileContentDisposition(part.name, part.file.Name))
		ct := part.file.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		w, err := mw.CreatePart(h)
		if err != nil {
			return err
		}
		if _, err := io.Copy(w, part.file); err != nil {
			return fmt.Errorf("input %q: read file: %w", part.name, err)
		}
	}
	return mw.Close()
}

// labelsFromInputs makes one key:value label per input (files: their name).
// Inputs whose value is empty are left out: servers refuse empty label values.
func (p *preparedInputs) labels() []label {
	out := make([]label, 0, len(p.parts))
	for _, part := range p.parts {
		v := part.value
		if part.file != nil {
			v = part.file.Name
		}
		if v == "" {
			continue
		}
		out = append(out, label{part.name, v})
	}
	return out
}

// label is one execution label.
type label struct{ key, value string }

// formatValue turns an input value into the text the server parses for its
// input type. ok is false for nil (left out).
//
//   - string (and named string types) as is; []byte as text;
//   - bool, integers, floats formatted with strconv (floats without exponent
//     where JSON would not use one);
//   - time.Time as RFC 3339 with nanoseconds (DATETIME inputs);
//   - time.Duration as an ISO-8601 duration such as PT1M30S (DURATION inputs);
//   - encoding.TextMarshaler (e.g. uuid.UUID) by its text form;
//   - slices, arrays, maps, structs and json.Marshaler as JSON text (ARRAY,
//     MULTISELECT and JSON inputs), never Go's fmt form.
func formatValue(v any) (string, bool, error) {
	switch x := v.(type) {
	case nil:
		return "", false, nil
	case string:
		return x, true, nil
	case []byte:
		return string(x), true, nil
	case bool:
		return strconv.FormatBool(x), true, nil
	case time.Time:
		return x.Format(time.RFC3339Nano), true, nil
	case *time.Time:
		if x == nil {
			return "", false, nil
		}
		return x.Format(time.RFC3339Nano), true, nil
	case time.Duration:
		return javatime.FormatDuration(x), true, nil
	case json.Number:
		return x.String(), true, nil
	case float64:
		return formatFloat(x, 64), true, nil
	case float32:
		return formatFloat(float64(x), 32), true, nil
	case json.Marshaler:
		b, err := x.MarshalJSON()
		if err != nil {
			return "", false, err
		}
		return string(b), true, nil
	case encoding.TextMarshaler:
		b, err := x.MarshalText()
		if err != nil {
			return "", false, err
		}
		return string(b), true, nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return "", false, nil
		}
		return formatValue(rv.Elem().Interface())
	case reflect.String:
		return rv.String(), true, nil
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool()), true, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), true, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10), true, nil
	case reflect.Float32:
		return formatFloat(rv.Float(), 32), true, nil
	case reflect.Float64:
		return formatFloat(rv.Float(), 64), true, nil
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Struct:
		b, err := json.Marshal(v)
		if err != nil {
			return "", false, err
		}
		return string(b), true, nil
	}
	return "", false, fmt.Errorf("unsupported input type %T", v)
}

// formatFloat writes a float the way JSON does (Java's Float.valueOf and
// Double.valueOf read both forms); NaN and infinities in Java's spelling.
func formatFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		return strconv.FormatFloat(f, 'e', -1, bits)
	}
	return strconv.FormatFloat(f, 'f', -1, bits)
}

// ErrInputNotReplayable is wrapped by the error of a create that failed in
// a way that allows resending it (provably nothing was created), but whose
// file input was already (partly) read from a reader that cannot seek back.
// Give File a Reader that is also an io.Seeker (an *os.File is) to allow it.
var ErrInputNotReplayable = errors.New("file input already sent and its reader cannot seek back")
