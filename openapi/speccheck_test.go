package openapi_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// These tests run spec-check.sh with a stand-in for `go run oasdiff` that
// prints canned oasdiff output, to check the script's own logic: the skip and
// required modes, report-only, and the exceptions filter. The comparison
// itself is oasdiff's; `make spec-check` runs it for real.

// oasdiffOut is shaped like `oasdiff breaking --format singleline`.
const oasdiffOut = `4 changes: 3 error, 1 warning, 0 info
error at up.yml, in API GET /api/v1/{tenant}/executions/{executionId} removed the required property ` + "`state/getDuration`" + ` from the response with the ` + "`200`" + ` status [response-required-property-removed]. 

error at up.yml, in API PUT /api/v1/{tenant}/triggers/backfill/create the ` + "`backfill/inputs/additionalProperties/`" + ` request property ` + "`type`" + ` changed from ` + "`any`" + ` to ` + "`object`" + ` [request-property-type-changed]. 

error at up.yml, in API GET /api/v1/{tenant}/executions/{executionId}/follow api path removed without deprecation [api-path-removed-without-deprecation]. 

warning at up.yml, in API GET /api/v1/{tenant}/flows/search the ` + "`id`" + ` pattern ` + "`^[a-z0-9]`" + ` was added [request-parameter-pattern-added]. This is a warning because the text goes on.
`

// onlyTolerated holds a defect-only difference plus one that looks like it
// (same check id) but concerns a real field, which must still fail.
const lookalike = `1 changes: 1 error, 0 warning, 0 info
error at up.yml, in API GET /api/v1/{tenant}/executions/{executionId} removed the required property ` + "`state/current`" + ` from the response with the ` + "`200`" + ` status [response-required-property-removed]. 
`

// typedLookalikes are real differences at the places of tolerated defects:
// our map declared as a map of strings (the defect is only any -> object),
// array items widened to something other than any, filters of another name.
const typedLookalikes = `3 changes: 3 error, 0 warning, 0 info
error at up.yml, in API GET /api/v1/{tenant}/executions/{executionId} the ` + "`inputs/additionalProperties/`" + ` response's property ` + "`type`" + ` changed from ` + "`string`" + ` to ` + "`object`" + ` for status ` + "`200`" + ` [response-property-type-changed]. 

error at up.yml, in API PUT /api/v1/{tenant}/triggers/backfill/create the ` + "`backfill/inputs/additionalProperties/`" + ` request property ` + "`type`" + ` changed from ` + "`string`" + ` to ` + "`object`" + ` [request-property-type-changed]. 

error at up.yml, in API GET /api/v1/{tenant}/triggers/search the ` + "`results/items/`" + ` response's property ` + "`type`" + ` was widened from ` + "`integer`" + ` to ` + "`number`" + ` for status ` + "`200`" + ` [response-property-type-generalized]. 
`

const onlyTolerated = `1 changes: 1 error, 0 warning, 0 info
error at up.yml, in API GET /api/v1/{tenant}/executions/{executionId} removed the required property ` + "`state/getEndDate`" + ` from the response with the ` + "`200`" + ` status [response-required-property-removed]. 
`

type specCheckRun struct {
	out    string
	status int
	args   string
}

// runSpecCheck runs the script with a fake go command printing canned and
// exiting with fakeStatus; upstream is created unless missing is true.
func runSpecCheck(t *testing.T, canned string, fakeStatus string, missing bool, env ...string) specCheckRun {
	t.Helper()
	dir := t.TempDir()
	fakeGo := filepath.Join(dir, "fakego")
	script := "#!/bin/sh\nprintf '%s\\n' \"$*\" > \"" + filepath.Join(dir, "args") + "\"\n" +
		"cat \"" + filepath.Join(dir, "canned") + "\"\nexit " + fakeStatus + "\n"
	if err := os.WriteFile(fakeGo, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "canned"), []byte(canned), 0o644); err != nil {
		t.Fatal(err)
	}
	upstream := filepath.Join(dir, "upstream.yml")
	if !missing {
		if err := os.WriteFile(upstream, []byte("openapi: 3.0.1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("bash", "spec-check.sh")
	cmd.Env = append(os.Environ(),
		"GO="+fakeGo, "UPSTREAM="+upstream, "SPEC=kestra.yml", "OASDIFF=example.com/oasdiff@v0",
		"SPEC_CHECK_REQUIRED=", "REPORT_ONLY=")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	status := 0
	if ee, ok := err.(*exec.ExitError); ok {
		status = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run spec-check.sh: %v", err)
	}
	args, _ := os.ReadFile(filepath.Join(dir, "args"))
	return specCheckRun{out: string(out), status: status, args: string(args)}
}

func TestSpecCheckFailsOnBreakingButToleratesKnownDefects(t *testing.T) {
	r := runSpecCheck(t, oasdiffOut, "0", false)
	if r.status != 1 {
		t.Fatalf("status %d, want 1; output:\n%s", r.status, r.out)
	}
	for _, want := range []string{
		"1 breaking difference(s)",
		"GET /api/v1/{tenant}/executions/{executionId}/follow api path removed without deprecation",
		"2 difference(s) tolerated",
		"state/getDuration",
		"1 warning(s)",
		"spec-check FAILED",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.out)
		}
	}
	for _, want := range []string{"run example.com/oasdiff@v0 breaking kestra.yml ", "--flatten-allof", "--severity-levels", "--format singleline"} {
		if !strings.Contains(r.args, want) {
			t.Errorf("oasdiff arguments %q lack %q", r.args, want)
		}
	}
}

func TestSpecCheckPassesWhenOnlyKnownDefectsDiffer(t *testing.T) {
	r := runSpecCheck(t, onlyTolerated, "0", false)
	if r.status != 0 || !strings.Contains(r.out, "spec-check OK") || !strings.Contains(r.out, "1 difference(s) tolerated") {
		t.Fatalf("status %d, want 0 and OK; output:\n%s", r.status, r.out)
	}
}

func TestSpecCheckExceptionNeedsMatchingLocation(t *testing.T) {
	r := runSpecCheck(t, lookalike, "0", false)
	if r.status != 1 || !strings.Contains(r.out, "state/current") {
		t.Fatalf("a removed state/current must fail; status %d, output:\n%s", r.status, r.out)
	}
}

func TestSpecCheckExceptionNeedsTheDefectsOwnChange(t *testing.T) {
	r := runSpecCheck(t, typedLookalikes, "0", false)
	if r.status != 1 || !strings.Contains(r.out, "3 breaking difference(s)") {
		t.Fatalf("typed look-alikes of tolerated defects must all fail; status %d, output:\n%s", r.status, r.out)
	}
}

func TestSpecCheckReportOnlyNeverFails(t *testing.T) {
	r := runSpecCheck(t, oasdiffOut, "0", false, "REPORT_ONLY=1")
	if r.status != 0 || !strings.Contains(r.out, "1 breaking difference(s)") || !strings.Contains(r.out, "report only") {
		t.Fatalf("status %d, want 0 with the report; output:\n%s", r.status, r.out)
	}
}

func TestSpecCheckMissingUpstream(t *testing.T) {
	r := runSpecCheck(t, "", "0", true)
	if r.status != 0 || !strings.Contains(r.out, "spec-check skipped: no upstream spec at") {
		t.Fatalf("missing upstream: status %d, output:\n%s", r.status, r.out)
	}
	if r.args != "" {
		t.Errorf("oasdiff ran although there is nothing to compare: %q", r.args)
	}
	r = runSpecCheck(t, "", "0", true, "SPEC_CHECK_REQUIRED=1")
	if r.status != 1 || !strings.Contains(r.out, "no upstream spec at") {
		t.Fatalf("missing upstream with SPEC_CHECK_REQUIRED=1: status %d, output:\n%s", r.status, r.out)
	}
}

func TestSpecCheckFailsWhenOasdiffFails(t *testing.T) {
	r := runSpecCheck(t, "Error: failed to load base spec\n", "1", false)
	if r.status != 2 || !strings.Contains(r.out, "oasdiff could not compare") {
		t.Fatalf("status %d, want 2; output:\n%s", r.status, r.out)
	}
}
