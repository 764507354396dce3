package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReadFlows(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "b.yaml"), []byte("id: b\nnamespace: n\ntasks: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.yml"), []byte("id: a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := readFlows(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || filepath.Base(got[0].path) != "a.yml" || filepath.Base(got[1].path) != "b.yaml" {
		t.Fatalf("got %+v", got)
	}
}

func TestRunRefusesUserWithoutPassword(t *testing.T) {
	if err := run([]string{"-user", "a@b.c"}, os.Stdout, os.Stderr); err == nil {
		t.Fatal("want an error")
	}
}

func TestRunReportsBadFlow(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.yml"), []byte("id: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-addr", "127.0.0.1:0", "-flows", dir}, os.Stdout, os.Stderr); err == nil {
		t.Fatal("want an error for an invalid flow")
	}
}
