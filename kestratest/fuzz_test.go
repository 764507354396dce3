package kestratest

import (
	"encoding/json"
	"path"
	"strings"
	"testing"
)

func FuzzParseQueryLabels(f *testing.F) {
	f.Add("env:prod", "url:http://x:1")
	f.Add(" k : v ", "k:v")
	f.Add("system.x:y", "")
	f.Fuzz(func(t *testing.T, a, b string) {
		labels, aerr := parseQueryLabels([]string{a, b})
		if aerr != nil {
			if aerr.status != 422 {
				t.Fatalf("status %d", aerr.status)
			}
			return
		}
		for _, l := range labels {
			if l.Key == "" || l.Value == "" || strings.TrimSpace(l.Key) != l.Key {
				t.Fatalf("bad label %+v", l)
			}
		}
	})
}

// FuzzReadKVValue: any body is refused or read to a JSON value of a known
// KV type (the Ion reader must not panic on hostile text or binary).
func FuzzReadKVValue(f *testing.F) {
	for _, s := range []string{`"hello"`, `42`, `bare`, `hello world`, `{a: [x, 'y']}`, `2026-01-01T10:00Z`, `1.5d2`,
		"\xe0\x01\x00\xea", "{{{", `(a b`, `0x`, "'\\u"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		v, typ, err := readKVValue(body)
		if err != nil {
			return
		}
		switch typ {
		case kvString, kvNumber, kvBoolean, kvDatetime, kvDate, kvJSON:
		default:
			t.Fatalf("%q: type %q", body, typ)
		}
		if !json.Valid(v) {
			t.Fatalf("%q: value %q is not JSON", body, v)
		}
	})
}

// FuzzNamespacePath: an accepted path is absolute, clean and never
// climbs out of the namespace.
func FuzzNamespacePath(f *testing.F) {
	for _, s := range []string{"/a/b.txt", "a//b/", "/../x", "..", "/a/./b", "%2e%2e", "/\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got, aerr := nsPath(p)
		if aerr != nil {
			if aerr.status != 422 {
				t.Fatalf("%q: status %d", p, aerr.status)
			}
			return
		}
		if !strings.HasPrefix(got, "/") || strings.Contains(got, "..") || path.Clean(got) != got {
			t.Fatalf("%q -> %q", p, got)
		}
	})
}
