package ion

import (
	"fmt"
	"io"
	"iter"
	"os"
)

// Read reads a whole Ion file of rows, as Kestra's Python client's
// Kestra.read does: one map per top-level struct, in file order. An empty
// file gives an empty, non-nil slice; a top-level value that is not a struct
// is an error wrapping [ErrNotStruct] (Kestra writes other values too: a
// header-less CSV conversion has one list per row, a KV value file a bare
// value; read those with [ReadFile] or [Values] of any). Errors are *[Error]
// values saying where the problem is, or the error of opening the file.
func Read(path string, opts ...Option) ([]map[string]any, error) {
	return ReadFile[map[string]any](path, opts...)
}

// ReadFile reads every top-level value of the Ion file at path (text or
// binary) as a T, in file order:
//
//	rows, err := ion.ReadFile[Employee]("result.ion") // struct rows
//	rows, err := ion.ReadFile[any]("values.ion")      // any value: maps, lists, scalars
//
// T is a struct (fields matched as [DecodeRow] does; each struct row is
// stored field by field, with no intermediate map), a map (struct rows
// only), a slice, a scalar or an interface, as [Decoder.Decode] takes. An
// empty file gives an empty, non-nil slice. Large files are parsed on all
// cores, as [ReadAll] does.
func ReadFile[T any](path string, opts ...Option) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ion: %w", err)
	}
	defer f.Close()
	return readAll[T](f, newConfig(opts))
}

// ReadAll is [Read] for an io.Reader (text or binary Ion), read to its
// end. For inputs of several megabytes it parses newline-separated sections
// on all cores (GOMAXPROCS), with the same result as a sequential read; a
// reader that can be read at offsets (*os.File, *bytes.Reader,
// *strings.Reader, *io.SectionReader) is read section by section through a
// buffer per core, any other is read into memory first. On any error,
// including one of r, it returns no rows.
func ReadAll(r io.Reader, opts ...Option) ([]map[string]any, error) {
	return readAll[map[string]any](r, newConfig(opts))
}

// Rows streams the rows (top-level structs) of r one at a time, in
// constant memory (beyond the largest row). Iteration stops after the first
// error, which is yielded with a nil map.
//
//	for row, err := range ion.Rows(f) {
//		if err != nil { return err }
//		...
//	}
func Rows(r io.Reader, opts ...Option) iter.Seq2[map[string]any, error] {
	return Values[map[string]any](r, opts...)
}

// Values streams the top-level values of r as T, one at a time, in
// constant memory (beyond the largest value): the streaming form of
// [ReadFile]. Iteration stops after the first error, which is yielded with
// T's zero value.
//
//	for e, err := range ion.Values[Employee](f) {
//		if err != nil { return err }
//		...
//	}
func Values[T any](r io.Reader, opts ...Option) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		d := NewDecoder(r, opts...)
		for {
			v, err := decodeNext[T](d)
			if err == io.EOF {
				return
			}
			if err != nil {
				var zero T
				v = zero
			}
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}
