package ion

import (
	"errors"
	"fmt"
	"io"
	"math/big"

	ionlib "github.com/amazon-ion/ion-go/ion"
)

// libWalker reads values with the Ion library's reader: the fallback for
// everything the fast path does not handle (binary Ion, symbol tables,
// comments, long strings, s-expressions, ...) and the reference the fast path
// is tested against. Both share the conversions in values.go.
type libWalker struct {
	c     *config
	r     ionlib.Reader
	items itemStack
}

var errTooDeep = errors.New("values nested too deeply")

// next returns the next top-level value, io.EOF at the end, or an error.
// A top-level struct goes into t when t is not nil (and nil is returned);
// its annotations are ignored.
func (w *libWalker) next(t *target) (v any, err error) {
	defer func() {
		// The library panics on some malformed input; that is an error here.
		if p := recover(); p != nil {
			v, err = nil, fmt.Errorf("ion library: %v", p)
		}
	}()
	r := w.r
	for {
		if !r.Next() {
			if err := r.Err(); err != nil {
				return nil, err
			}
			return nil, io.EOF
		}
		if r.Type() == ionlib.SymbolType && !r.IsNull() {
			anns, _ := r.Annotations()
			tok, err := r.SymbolValue()
			if err == nil && len(anns) == 0 && tok != nil && tok.Text != nil && *tok.Text == "$ion_1_0" {
				continue // a version marker in text Ion
			}
		}
		break
	}
	if r.Type() == ionlib.StructType && !r.IsNull() {
		if t != nil {
			return nil, w.structInto(t)
		}
		return w.container(ionlib.StructType, 0)
	}
	return w.value(0)
}

// structInto reads the struct the reader is on into t.
func (w *libWalker) structInto(t *target) error {
	t.reset()
	r := w.r
	if err := r.StepIn(); err != nil {
		return err
	}
	for r.Next() {
		tok, err := r.FieldName()
		if err != nil {
			return err
		}
		if tok == nil || tok.Text == nil {
			return fmt.Errorf("field name without text (symbol ID %d)", symbolID(tok))
		}
		key := *tok.Text
		i, exactName := t.field(key)
		mode := w.c.pushExact(t.exactness(i))
		v, err := w.value(1)
		w.c.popExact(mode)
		if err != nil {
			return withKey(err, key)
		}
		if i >= 0 {
			if err := t.set(i, exactName, v); err != nil {
				return &convErr{err: err}
			}
		}
	}
	if err := r.Err(); err != nil {
		return err
	}
	return r.StepOut()
}

func (w *libWalker) container(t ionlib.Type, depth int) (any, error) {
	if depth >= maxDepth {
		return nil, errTooDeep
	}
	r := w.r
	if err := r.StepIn(); err != nil {
		return nil, err
	}
	var out any
	if t == ionlib.StructType {
		m := map[string]any{}
		for r.Next() {
			tok, err := r.FieldName()
			if err != nil {
				return nil, err
			}
			if tok == nil || tok.Text == nil {
				return nil, fmt.Errorf("field name without text (symbol ID %d)", symbolID(tok))
			}
			v, err := w.value(depth + 1)
			if err != nil {
				return nil, withKey(err, *tok.Text)
			}
			m[*tok.Text] = v
		}
		out = m
	} else {
		base := w.items.len()
		for r.Next() {
			v, err := w.value(depth + 1)
			if err != nil {
				i := w.items.len() - base
				w.items.drop(base)
				return nil, withIndex(err, i)
			}
			w.items.push(v)
		}
		out = w.items.pop(base) // see itemStack
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	if err := r.StepOut(); err != nil {
		return nil, err
	}
	return out, nil
}

func symbolID(tok *ionlib.SymbolToken) int64 {
	if tok == nil {
		return -1
	}
	return tok.LocalSID
}

func (w *libWalker) value(depth int) (any, error) {
	r := w.r
	toks, err := r.Annotations()
	if err != nil {
		return nil, err
	}
	if len(toks) > 1 && !w.c.keepAnnotations {
		// Only the first counts: the others, kept while a container
		// is read, held 1000 annotations per level of nesting.
		toks = toks[:1]
	}
	var anns []string
	for _, t := range toks {
		if t.Text == nil {
			anns = append(anns, fmt.Sprintf("$%d", t.LocalSID))
		} else {
			anns = append(anns, *t.Text)
		}
	}
	if r.IsNull() {
		return nil, nil
	}
	var v any
	switch t := r.Type(); t {
	case ionlib.BoolType:
		b, err := r.BoolValue()
		if err != nil || b == nil {
			return nil, orNil(err, "bool")
		}
		v = *b
	case ionlib.IntType:
		size, err := r.IntSize()
		if err != nil {
			return nil, err
		}
		if size == ionlib.BigInt {
			n, err := r.BigIntValue()
			if err != nil || n == nil {
				return nil, orNil(err, "int")
			}
			if err := checkDigits(n); err != nil {
				return nil, err
			}
			if n.IsInt64() {
				v = n.Int64()
			} else {
				v = new(big.Int).Set(n)
			}
		} else {
			n, err := r.Int64Value()
			if err != nil || n == nil {
				return nil, orNil(err, "int")
			}
			v = *n
		}
	case ionlib.FloatType:
		f, err := r.FloatValue()
		if err != nil || f == nil {
			return nil, orNil(err, "float")
		}
		v = *f
	case ionlib.DecimalType:
		d, err := r.DecimalValue()
		if err != nil || d == nil {
			return nil, orNil(err, "decimal")
		}
		if n, _ := d.CoEx(); checkDigits(n) != nil {
			return nil, errNumberDigits
		}
		if w.c.exactDecimals || w.c.intDecimals {
			v = d
		} else {
			f, err := decimalFloat(d.String())
			if err != nil {
				return nil, err
			}
			v = f
		}
	case ionlib.TimestampType:
		ts, err := r.TimestampValue()
		if err != nil || ts == nil {
			return nil, orNil(err, "timestamp")
		}
		v = w.c.libTimestamp(ts)
	case ionlib.StringType, ionlib.SymbolType:
		var s string
		if t == ionlib.StringType {
			p, err := r.StringValue()
			if err != nil || p == nil {
				return nil, orNil(err, "string")
			}
			s = *p
		} else {
			tok, err := r.SymbolValue()
			if err != nil || tok == nil {
				return nil, orNil(err, "symbol")
			}
			if tok.Text == nil {
				return nil, fmt.Errorf("symbol without text (symbol ID %d)", tok.LocalSID)
			}
			s = *tok.Text
		}
		v, err := w.c.convertText(anns, s, t == ionlib.StringType)
		if err != nil {
			return nil, &convErr{err: err}
		}
		return v, nil
	case ionlib.BlobType, ionlib.ClobType:
		b, err := r.ByteValue()
		if err != nil {
			return nil, err
		}
		v = append([]byte{}, b...)
	case ionlib.ListType, ionlib.SexpType, ionlib.StructType:
		c, err := w.container(t, depth)
		if err != nil {
			return nil, err
		}
		v = c
	default:
		return nil, fmt.Errorf("unexpected Ion type %v", t)
	}
	return w.c.wrap(anns, v), nil
}

func orNil(err error, what string) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("missing %s value", what)
}
