package kestratest

import (
	"strings"
	"testing"
)

func FuzzParseFlow(f *testing.F) {
	f.Add("id: a\nnamespace: b\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n")
	f.Add("id: a\nnamespace: b\ninputs:\n  - name: x\n    type: int\n    defaults: 3\ntasks: []\n")
	f.Add("labels: [1]\n")
	f.Fuzz(func(t *testing.T, src string) {
		fl, err := parseFlow(src)
		if err == nil && (fl.ID == "" || fl.Namespace == "" || len(fl.Tasks) == 0) {
			t.Fatalf("accepted an incomplete flow: %+v", fl)
		}
	})
}

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
