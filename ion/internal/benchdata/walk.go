package benchdata

import (
	"io"

	ionlib "github.com/amazon-ion/ion-go/ion"
)

// LibraryWalk visits every value of r with the Ion library's reader,
// reading each scalar with its typed getter and keeping nothing: the
// baseline the ion package's reader is measured against. It returns the
// number of values.
func LibraryWalk(r io.Reader) (int, error) {
	lr := ionlib.NewReader(r)
	n := 0
	var walk func() error
	walk = func() error {
		for lr.Next() {
			n++
			if _, err := lr.FieldName(); err != nil {
				return err
			}
			if _, err := lr.Annotations(); err != nil {
				return err
			}
			var err error
			switch lr.Type() {
			case ionlib.BoolType:
				_, err = lr.BoolValue()
			case ionlib.IntType:
				_, err = lr.Int64Value()
			case ionlib.FloatType:
				_, err = lr.FloatValue()
			case ionlib.DecimalType:
				_, err = lr.DecimalValue()
			case ionlib.TimestampType:
				_, err = lr.TimestampValue()
			case ionlib.StringType:
				_, err = lr.StringValue()
			case ionlib.SymbolType:
				_, err = lr.SymbolValue()
			case ionlib.BlobType, ionlib.ClobType:
				_, err = lr.ByteValue()
			case ionlib.ListType, ionlib.SexpType, ionlib.StructType:
				if lr.IsNull() {
					continue
				}
				if err = lr.StepIn(); err != nil {
					return err
				}
				if err = walk(); err != nil {
					return err
				}
				err = lr.StepOut()
			}
			if err != nil {
				return err
			}
		}
		return lr.Err()
	}
	err := walk()
	return n, err
}
