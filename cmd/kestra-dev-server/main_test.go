package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
	if err := run(context.Background(), []string{"-user", "a@b.c"}, io.Discard, io.Discard); err == nil {
		t.Fatal("want an error")
	}
}

func TestRunReportsBadFlow(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.yml"), []byte("id: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-flows", dir}, io.Discard, io.Discard); err == nil {
		t.Fatal("want an error for an invalid flow")
	}
}

// startRun runs the command with args in the background until the test
// ends (then checks it stopped cleanly) and returns the URL it printed.
func startRun(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(10 * time.Second):
			t.Error("did not stop")
		}
	})
	sc := bufio.NewScanner(pr)
	var url string
	for sc.Scan() {
		if _, u, ok := strings.Cut(sc.Text(), "listening on "); ok {
			url = u
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if url == "" {
		t.Fatal("no URL printed")
	}
	return url
}

func flowsDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	flow := "id: hello\nnamespace: demo\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n"
	if err := os.WriteFile(filepath.Join(dir, "hello.yml"), []byte(flow), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// The command deploys the flows, prints its URL, serves with auth, and
// stops when its context ends.
func TestRunServesUntilCancelled(t *testing.T) {
	url := startRun(t, "-flows", flowsDir(t), "-user", "admin@example.com", "-password", "Secret123")
	req, _ := http.NewRequest(http.MethodPost, url+"/api/v1/main/executions/demo/hello?wait=true", nil)
	req.SetBasicAuth("admin@example.com", "Secret123")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var e struct{ State struct{ Current string } }
	_ = json.NewDecoder(res.Body).Decode(&e)
	res.Body.Close()
	if res.StatusCode != 200 || e.State.Current != "SUCCESS" {
		t.Fatalf("run the deployed flow: %d %+v", res.StatusCode, e)
	}
}

// The flows are deployed in every served tenant, main or not.
func TestRunDeploysInEveryTenant(t *testing.T) {
	url := startRun(t, "-flows", flowsDir(t), "-tenants", "acme, beta")
	for _, tenant := range []string{"acme", "beta"} {
		res, err := http.Get(url + "/api/v1/" + tenant + "/flows/demo/hello")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("flow in tenant %s: %d", tenant, res.StatusCode)
		}
	}
	res, err := http.Get(url + "/api/v1/main/flows/demo/hello")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 400 {
		t.Errorf("tenant main is not served, got %d", res.StatusCode)
	}
}

// -max-request-size: a larger body gets 413.
func TestRunMaxRequestSize(t *testing.T) {
	url := startRun(t, "-max-request-size", "100")
	body := "id: big\nnamespace: demo\ndescription: " + strings.Repeat("x", 200) + "\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n"
	res, err := http.Post(url+"/api/v1/main/flows", "application/x-yaml", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 413 {
		t.Fatalf("status %d, want 413", res.StatusCode)
	}
	if err := run(context.Background(), []string{"-max-request-size", "0"}, io.Discard, io.Discard); err == nil {
		t.Fatal("-max-request-size 0 accepted")
	}
}
